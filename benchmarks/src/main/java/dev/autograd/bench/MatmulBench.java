package dev.autograd.bench;

import dev.autograd.core.DType;
import dev.autograd.core.Generator;
import dev.autograd.core.Tensor;
import dev.autograd.core.kernels.KernelProvider;
import dev.autograd.core.kernels.Kernels;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * FLOAT32 matrix products: square n×n ({@code out}: the GEMM kernel into a preallocated C, as
 * {@code torch.mm(a, b, out=c)}; {@code alloc}: {@code a.mm(b)}), and the seed MLP's training
 * shapes {@code MxKxN[:tA|:tB]} (a transposed operand is a strided view, as in backward).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class MatmulBench {
  /** Square products. */
  @State(Scope.Thread)
  public static class Square {
    @Param({"128", "256", "512", "1024", "2048"})
    public int n;

    Kernels k;
    Tensor a, b;
    float[] x, y, c;

    @Setup
    public void setUp() {
      k = KernelProvider.get();
      Generator gen = new Generator(0);
      a = Tensor.randn(gen, DType.FLOAT32, n, n);
      b = Tensor.randn(gen, DType.FLOAT32, n, n);
      x = a.toFloatArray();
      y = b.toFloatArray();
      c = new float[n * n];
    }
  }

  /** The seed's shapes: m×k times k×n, optionally with A or B read transposed. */
  @State(Scope.Thread)
  public static class Seed {
    @Param({"64x1000x100", "1000x64x100:tA", "64x100x1000:tB", "64x100x10"})
    public String shape;

    Tensor a, b;

    @Setup
    public void setUp() {
      String[] parts = shape.split(":");
      String[] d = parts[0].split("x");
      int m = Integer.parseInt(d[0]), k = Integer.parseInt(d[1]), n = Integer.parseInt(d[2]);
      String t = parts.length > 1 ? parts[1] : "";
      Generator gen = new Generator(0);
      a =
          t.equals("tA")
              ? Tensor.randn(gen, DType.FLOAT32, k, m).t()
              : Tensor.randn(gen, DType.FLOAT32, m, k);
      b =
          t.equals("tB")
              ? Tensor.randn(gen, DType.FLOAT32, n, k).t()
              : Tensor.randn(gen, DType.FLOAT32, k, n);
    }
  }

  @Benchmark
  public float[] mm_out(Square s) {
    int n = s.n;
    s.k.gemm(n, n, n, s.x, 0, n, 1, s.y, 0, n, 1, s.c, 0, n, false);
    return s.c;
  }

  @Benchmark
  public Tensor mm_alloc(Square s) {
    return s.a.mm(s.b);
  }

  @Benchmark
  public Tensor mm_seed(Seed s) {
    return s.a.mm(s.b);
  }
}
