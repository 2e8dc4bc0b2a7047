package dev.autograd.bench;

import dev.autograd.core.DType;
import dev.autograd.core.Generator;
import dev.autograd.core.Tensor;
import dev.autograd.core.kernels.BinaryOp;
import dev.autograd.core.kernels.KernelProvider;
import dev.autograd.core.kernels.Kernels;
import dev.autograd.core.kernels.UnaryOp;
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
 * Element-wise kernels of {@code peers/elementwise.py}: add, mul, exp, tanh and sum over
 * contiguous FLOAT32 vectors. {@code out}: the kernel writes a preallocated array (core has no
 * {@code out=} ops, so these call {@link Kernels} directly); {@code alloc}: the tensor op, which
 * allocates its result and pays the dispatch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Warmup(iterations = 3, time = 300, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 300, timeUnit = TimeUnit.MILLISECONDS)
public class ElementwiseBench {
  @Param({"1000", "100000", "1000000", "10000000"})
  public int n;

  private Kernels k;
  private Tensor a, b;
  private float[] x, y, out;

  @Setup
  public void setUp() {
    k = KernelProvider.get();
    Generator gen = new Generator(0);
    a = Tensor.rand(gen, DType.FLOAT32, n).mul(2).sub(1);
    b = Tensor.rand(gen, DType.FLOAT32, n).mul(2).sub(1);
    x = a.toFloatArray();
    y = b.toFloatArray();
    out = new float[n];
  }

  @Benchmark
  public float[] add_out() {
    k.binary(BinaryOp.ADD, x, 0, 1, y, 0, 1, out, 0, n);
    return out;
  }

  @Benchmark
  public Tensor add_alloc() {
    return a.add(b);
  }

  @Benchmark
  public float[] mul_out() {
    k.binary(BinaryOp.MUL, x, 0, 1, y, 0, 1, out, 0, n);
    return out;
  }

  @Benchmark
  public Tensor mul_alloc() {
    return a.mul(b);
  }

  @Benchmark
  public float[] exp_out() {
    k.unary(UnaryOp.EXP, 0, x, 0, 1, out, 0, n);
    return out;
  }

  @Benchmark
  public Tensor exp_alloc() {
    return a.exp();
  }

  @Benchmark
  public float[] tanh_out() {
    k.unary(UnaryOp.TANH, 0, x, 0, 1, out, 0, n);
    return out;
  }

  @Benchmark
  public Tensor tanh_alloc() {
    return a.tanh();
  }

  @Benchmark
  public double sum_out() {
    return k.sum(x, 0, n);
  }

  @Benchmark
  public Tensor sum_alloc() {
    return a.sum();
  }
}
