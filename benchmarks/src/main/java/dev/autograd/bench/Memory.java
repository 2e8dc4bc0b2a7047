package dev.autograd.bench;

import dev.autograd.core.Generator;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Memory of the seed-MLP training step: bytes allocated per step on the training thread ({@code
 * com.sun.management.ThreadMXBean#getThreadAllocatedBytes}, kernel pool threads not counted), and
 * the heap in use after a full GC sampled every {@code --every} steps over {@code --steps} steps,
 * with the growth between the first and last sample (flat = no leak). The bytes per step are
 * counted after {@code --warmup} steps, long enough for C2 to have compiled the Vector API kernels
 * (uncompiled, every vector operation allocates), so they show the library's own allocation;
 * SeedMlp's {@code .alloc} rows count its timed window as it is. Usage: {@code Memory [--steps
 * 20000] [--every 2000] [--warmup 3000]}.
 */
public final class Memory {
  private Memory() {}

  static double bytesPerStep(java.util.function.DoubleSupplier step, int warmup, int n) {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    for (int i = 0; i < warmup; i++) step.getAsDouble();
    long b0 = mx.getThreadAllocatedBytes(tid);
    for (int i = 0; i < n; i++) step.getAsDouble();
    return (double) (mx.getThreadAllocatedBytes(tid) - b0) / n;
  }

  static long heapAfterGc(MemoryMXBean mem) {
    System.gc();
    System.gc();
    return mem.getHeapMemoryUsage().getUsed();
  }

  public static void main(String[] args) {
    int steps = Report.intArg(args, "--steps", 20_000);
    int every = Report.intArg(args, "--every", 2_000);
    int warmup = Report.intArg(args, "--warmup", 3000);
    String t = Report.threadTag();
    SeedMlp.Raw raw = new SeedMlp.Raw(new Generator(0));
    SeedMlp.Nn nn = new SeedMlp.Nn(new Generator(0));
    Report.value(
        "mem_seed_mlp_raw.alloc_per_step" + t,
        bytesPerStep(raw::step, warmup, 200) / 1024,
        "KiB/step");
    Report.value(
        "mem_seed_mlp_nn.alloc_per_step" + t,
        bytesPerStep(nn::step, warmup, 200) / 1024,
        "KiB/step");
    // the step's unavoidable allocation: activations and gradients of the 64x1000x100x10 model
    double floats = 64 * 100 * 3 + 64 * 10 * 4 + 1000 * 100 + 100 * 10;
    Report.note(
        "activations+weight gradients alone are about "
            + Report.g4(floats * 4 / 1024)
            + " KiB per step");
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    long first = heapAfterGc(mem);
    long last = first;
    StringBuilder trace = new StringBuilder();
    for (int s = 1; s <= steps; s++) {
      nn.step();
      if (s % every == 0) {
        last = heapAfterGc(mem);
        trace.append(' ').append(s).append(':').append(last / 1024).append("K");
      }
    }
    Report.note("heap after GC by step (seed MLP nn):" + trace);
    Report.value("mem_seed_mlp_nn.heap_after_gc" + t, last / (1024.0 * 1024.0), "MiB");
    Report.value(
        "mem_seed_mlp_nn.heap_growth_over_" + steps + "_steps" + t, (last - first) / 1024.0, "KiB");
  }
}
