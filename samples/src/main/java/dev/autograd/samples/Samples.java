package dev.autograd.samples;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;

/** The sample launcher: {@code ./run NAME [args]} runs one sample; {@code ./run} lists them. */
public final class Samples {
  private Samples() {}

  /** Sample name (its class's simple name) and what it shows, in the order of the seeds. */
  static final Map<String, String> ALL = new LinkedHashMap<>();

  static {
    ALL.put("GradientOfXSquaredExp", "d/dx x^2 e^x at x = 2 is 59.1124 (seed 000; the seed's 18 is wrong)");
    ALL.put("MyReLUSample", "a custom ReLU Function; grad [0., 1., 0.] (seed 000)");
    ALL.put("RequiresGradBasics", "requires_grad, grad_fn, detach (seed 001)");
    ALL.put("LinearRegressionByHand", "y = 2x + 3 with hand-written gradients (seed 002)");
    ALL.put("LinearRegressionAutograd", "y = 2x + 3 with autograd and manual updates (seed 002)");
    ALL.put("VectorGradient", "y = x0^2 + x1^3 at [2, 3]; grad [4., 27.] (seed 003)");
    ALL.put("TwoLayerNet", "the 64x1000 -> 100 -> 10 network, manual SGD, 500 steps (seed 003)");
    ALL.put("SigmoidFunctionSample", "sigmoid as a custom Function (seed 003)");
    ALL.put("DynamicControlFlow", "Java if/else inside the forward pass (seed 003)");
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].isEmpty() || args[0].equals("list")) {
      System.out.println("Samples (run one with ./run NAME):");
      ALL.forEach((name, what) -> System.out.printf("  %-26s %s%n", name, what));
      return;
    }
    String name = args[0];
    if (!ALL.containsKey(name)) {
      System.err.println("No sample named '" + name + "'. Run ./run with no argument to list them.");
      System.exit(2);
    }
    Method main = Class.forName(Samples.class.getPackageName() + "." + name).getMethod("main", String[].class);
    String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
    try {
      main.invoke(null, (Object) rest);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    }
  }
}
