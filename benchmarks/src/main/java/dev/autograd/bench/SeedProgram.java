package dev.autograd.bench;

import dev.autograd.core.Autograd;
import dev.autograd.core.Generator;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import dev.autograd.nn.CrossEntropyLoss;
import dev.autograd.nn.Linear;
import dev.autograd.nn.MSELoss;
import dev.autograd.nn.ReLU;
import dev.autograd.nn.Sequential;
import dev.autograd.nn.data.DataLoader;
import dev.autograd.nn.data.Datasets;
import dev.autograd.nn.data.Iris;
import dev.autograd.nn.data.Subset;
import dev.autograd.nn.optim.Adam;
import dev.autograd.nn.optim.SGD;
import java.util.List;

/**
 * The seed programs as whole processes, for wall time, CPU time and peak RSS from JVM start to exit
 * (benchmarks/whole_process.sh). Each mirrors {@code benchmarks/peers/programs/NAME.py} line for
 * line and prints the same lines; unlike the samples they write no plot. Usage: {@code SeedProgram
 * two_layer_net|grad_x2_exp|linear_regression_nn|iris [--blocks]}; {@code --blocks} also prints the
 * milliseconds per step of each block of 100 steps (two_layer_net), wall and the main thread's CPU
 * time, and the KiB the main thread allocated per step (cold vector code allocates megabytes); at
 * the end the CPU time of the JVM's threads by kind (the compilers' share).
 */
public final class SeedProgram {
  private SeedProgram() {}

  public static void main(String[] args) {
    String name = args.length > 0 ? args[0] : "";
    boolean blocks = args.length > 1 && args[1].equals("--blocks");
    switch (name) {
      case "two_layer_net" -> twoLayerNet(blocks);
      case "grad_x2_exp" -> gradX2Exp();
      case "linear_regression_nn" -> linearRegressionNn();
      case "iris" -> iris();
      default ->
          throw new IllegalArgumentException(
              "SeedProgram: unknown program '"
                  + name
                  + "'; use two_layer_net, grad_x2_exp, linear_regression_nn or iris");
    }
  }

  /** Seed 003: 64x1000 -> 100 -> 10, manual SGD, 500 steps. */
  static void twoLayerNet(boolean blocks) {
    Autograd.manualSeed(0);
    Tensor x = Tensor.randn(64, 1000), y = Tensor.randn(64, 10);
    Tensor w1 = Tensor.randn(1000, 100).requiresGrad_(true),
        w2 = Tensor.randn(100, 10).requiresGrad_(true);
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long t0 = System.nanoTime(), c0 = blocks ? mx.getCurrentThreadCpuTime() : 0;
    long a0 = blocks ? mx.getCurrentThreadAllocatedBytes() : 0;
    for (int t = 0; t < 500; t++) {
      Tensor loss = x.mm(w1).clampMin(0).mm(w2).sub(y).pow(2).sum();
      if (t % 100 == 99) {
        System.out.println((t + 1) + " " + loss.item());
        if (blocks) { // wall time, and this thread's CPU time (robust to other processes on the
          // machine)
          long t1 = System.nanoTime(), c1 = mx.getCurrentThreadCpuTime();
          long a1 = mx.getCurrentThreadAllocatedBytes();
          System.out.printf(
              "# block %d-%d %.3f ms/step cpu %.3f ms/step alloc %.0f KiB/step%n",
              t - 98,
              t + 1,
              (t1 - t0) / 1e6 / 100,
              (c1 - c0) / 1e6 / 100,
              (a1 - a0) / 1024.0 / 100);
          t0 = t1;
          c0 = c1;
          a0 = a1;
        }
      }
      loss.backward();
      try (GradMode.Scope s = Autograd.noGrad()) {
        w1.sub_(w1.grad().mul(1e-6));
        w2.sub_(w2.grad().mul(1e-6));
        w1.grad().zero_();
        w2.grad().zero_();
      }
    }
    if (blocks) System.out.println(threadCpu());
  }

  /**
   * The CPU milliseconds of this JVM's threads so far, by kind — the program's own thread ("java"),
   * the C2 and C1 compiler threads, the collector's, the rest — from Linux's /proc/self/task (utime
   * + stime, 10 ms ticks); a note instead where that is not readable. On two cores the compiler
   * threads' time is the other half of a cold program's cost.
   */
  static String threadCpu() {
    java.util.Map<String, Long> ms = new java.util.LinkedHashMap<>();
    for (String kind : new String[] {"main", "C2", "C1", "GC", "other"}) ms.put(kind, 0L);
    java.nio.file.Path tasks = java.nio.file.Path.of("/proc/self/task");
    try (java.nio.file.DirectoryStream<java.nio.file.Path> ds =
        java.nio.file.Files.newDirectoryStream(tasks)) {
      for (java.nio.file.Path task : ds) {
        String stat = java.nio.file.Files.readString(task.resolve("stat"));
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
        String kind =
            name.equals("java")
                ? "main"
                : name.startsWith("C2 Compiler")
                    ? "C2"
                    : name.startsWith("C1 Compiler")
                        ? "C1"
                        : name.startsWith("GC Thread") || name.startsWith("G1 ") ? "GC" : "other";
        ms.merge(kind, ticks * 10, Long::sum);
      }
    } catch (java.io.IOException | RuntimeException e) {
      return "# threads cpu ms: not readable here (" + e + ")";
    }
    return "# threads cpu ms: " + ms;
  }

  /** Seed 000, example 1: d/dx x^2 e^x at 2. */
  static void gradX2Exp() {
    Tensor x = Tensor.scalar(2.0).requiresGrad_(true);
    Tensor y = x.pow(2).mul(x.exp());
    y.backward();
    System.out.println(x.grad());
  }

  /** Seed 000, example 3: y = 2x + 3 with nn.Linear(1, 1), MSELoss, SGD(0.01), 100 epochs. */
  static void linearRegressionNn() {
    Autograd.manualSeed(0);
    Linear model = new Linear(1, 1);
    MSELoss criterion = new MSELoss();
    SGD optimizer = new SGD(model.parameters(), 0.01);
    for (int epoch = 0; epoch < 100; epoch++) {
      Tensor x = Tensor.rand(100, 1);
      Tensor y = x.mul(2).add(3);
      Tensor loss = criterion.forward(model.forward(x), y);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      if ((epoch + 1) % 10 == 0)
        System.out.printf("Epoch [%d/100], Loss: %.4f%n", epoch + 1, loss.item());
    }
  }

  /** Iris, 4-16-3 MLP, cross-entropy, Adam(0.01), batches of 16, 100 epochs; held-out accuracy. */
  static void iris() {
    Generator gen = new Generator(0);
    List<Subset<Tensor[]>> split = Datasets.randomSplit(Iris.load(), new int[] {120, 30}, gen);
    Sequential model =
        new Sequential(new Linear(4, 16, true, gen), new ReLU(), new Linear(16, 3, true, gen));
    CrossEntropyLoss lossFn = new CrossEntropyLoss();
    Adam optimizer = new Adam(model.parameters(), 0.01);
    DataLoader train = new DataLoader(split.get(0), 16, true, false, gen);
    for (int epoch = 1; epoch <= 100; epoch++) {
      for (Tensor[] batch : train) {
        optimizer.zeroGrad();
        Tensor loss = lossFn.forward(model.forward(batch[0]), batch[1]);
        loss.backward();
        optimizer.step();
      }
    }
    long correct = 0;
    try (GradMode.Scope s = Autograd.noGrad()) {
      for (Tensor[] batch : new DataLoader(split.get(1), 30)) {
        correct += (long) model.forward(batch[0]).argmax(1, false).eq(batch[1]).sum().item();
      }
    }
    System.out.printf("test accuracy %.1f%%%n", 100.0 * correct / 30);
  }
}
