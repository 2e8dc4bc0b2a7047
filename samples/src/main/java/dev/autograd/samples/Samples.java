package dev.autograd.samples;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sample launcher: {@code ./run NAME [args]} runs one sample; {@code ./run} lists them. A
 * Java sample is named by its class ({@code TwoLayerNet}); its Kotlin twin by {@code kt.} and the
 * file name ({@code kt.TwoLayerNet}, the class {@code dev.autograd.samples.kotlin.TwoLayerNetKt}).
 */
public final class Samples {
  private Samples() {}

  /** Prefix of the Kotlin samples' names. */
  static final String KOTLIN = "kt.";

  /** Java sample name (its class's simple name) and what it shows: the seeds in order, then real training. */
  static final Map<String, String> JAVA = new LinkedHashMap<>();

  /** Kotlin sample name (without {@link #KOTLIN}) and what it shows. */
  static final Map<String, String> KOTLIN_SAMPLES = new LinkedHashMap<>();

  static {
    seed("GradientOfXSquaredExp", "d/dx x^2 e^x at x = 2 is 59.1124 (seed 000; the seed's 18 is wrong)");
    seed("MyReLUSample", "a custom ReLU Function; grad [0., 1., 0.] (seed 000)");
    seed("LinearRegressionNn", "y = 2x + 3 with nn.Linear, MSELoss and SGD, 100 epochs (seed 000)");
    seed("RequiresGradBasics", "requires_grad, grad_fn, detach (seed 001)");
    seed("GradientAccumulation", "gradients of several backward calls add up before a step (seed 001)");
    seed("LinearRegressionByHand", "y = 2x + 3 with hand-written gradients (seed 002)");
    seed("LinearRegressionAutograd", "y = 2x + 3 with autograd and manual updates (seed 002)");
    seed("VectorGradient", "y = x0^2 + x1^3 at [2, 3]; grad [4., 27.] (seed 003)");
    seed("TwoLayerNet", "the 64x1000 -> 100 -> 10 network, manual SGD, 500 steps (seed 003)");
    seed("SigmoidFunctionSample", "sigmoid as a custom Function (seed 003)");
    seed("SimpleNet", "Linear(10, 50) - ReLU - Linear(50, 1) with MSELoss and SGD (seed 003)");
    seed("DynamicControlFlow", "if/else inside the forward pass (seed 003)");
    seed("StaticGraphModel", "the seed's torch.jit.script model, run eagerly (seed 003)");
    seed("IrisClassifier", "Iris flowers, 4-16-3 MLP, Adam: held-out accuracy (Java: + loss curve)");
    JAVA.put("FashionMnistMlp", "Fashion-MNIST, 784-256-10 MLP: test accuracy (needs dataset-fashion-mnist)");
    JAVA.put("FashionMnistCnn", "Fashion-MNIST, small CNN: test accuracy (needs dataset-fashion-mnist)");
    JAVA.put("FashionMnistSpark", "Fashion-MNIST MLP trained data-parallel on Spark local[2], scored as a DataFrame");
  }

  private static void seed(String name, String what) {
    JAVA.put(name, what);
    KOTLIN_SAMPLES.put(name, what);
  }

  /** The class that runs sample {@code name}, or null if there is none. */
  static String className(String name) {
    if (name.startsWith(KOTLIN)) {
      String kt = name.substring(KOTLIN.length());
      return KOTLIN_SAMPLES.containsKey(kt) ? Samples.class.getPackageName() + ".kotlin." + kt + "Kt" : null;
    }
    return JAVA.containsKey(name) ? Samples.class.getPackageName() + "." + name : null;
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].isEmpty() || args[0].equals("list")) {
      System.out.println("Samples (run one with ./run NAME [args]):");
      JAVA.forEach((name, what) -> System.out.printf("  %-28s %s%n", name, what));
      System.out.println("The same examples in Kotlin, with the DSL:");
      KOTLIN_SAMPLES.forEach((name, what) -> System.out.printf("  %-28s %s%n", KOTLIN + name, what));
      return;
    }
    String name = args[0];
    String cls = className(name);
    if (cls == null) {
      System.err.println("No sample named '" + name + "'. Run ./run with no argument to list them.");
      System.exit(2);
    }
    Method main = Class.forName(cls).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    }
  }
}
