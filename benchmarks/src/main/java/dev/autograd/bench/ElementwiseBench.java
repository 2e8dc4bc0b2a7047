package dev.autograd.bench;

import dev.autograd.core.DType;
import dev.autograd.core.Generator;
import dev.autograd.core.Tensor;
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
 * Element-wise kernels of {@code peers/elementwise.py}: add, mul, exp, tanh and sum over contiguous
 * FLOAT32 vectors. {@code out}: the public {@code out=} forms ({@code a.add(b, out)}, {@code
 * a.exp(out)}, {@code a.sum(out)}), which write a tensor allocated once, as {@code torch.add(a, b,
 * out=c)} does; {@code alloc}: the plain op, which allocates its result. Both pay the full dispatch
 * (checks, dtype and layout decisions) of a user's call.
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

  private Tensor a, b, out, total;

  @Setup
  public void setUp() {
    Generator gen = new Generator(0);
    a = Tensor.rand(gen, DType.FLOAT32, n).mul(2).sub(1);
    b = Tensor.rand(gen, DType.FLOAT32, n).mul(2).sub(1);
    out = Tensor.empty(DType.FLOAT32, n);
    total = Tensor.empty(DType.FLOAT32);
  }

  @Benchmark
  public Tensor add_out() {
    return a.add(b, out);
  }

  @Benchmark
  public Tensor add_alloc() {
    return a.add(b);
  }

  @Benchmark
  public Tensor mul_out() {
    return a.mul(b, out);
  }

  @Benchmark
  public Tensor mul_alloc() {
    return a.mul(b);
  }

  @Benchmark
  public Tensor exp_out() {
    return a.exp(out);
  }

  @Benchmark
  public Tensor exp_alloc() {
    return a.exp();
  }

  @Benchmark
  public Tensor tanh_out() {
    return a.tanh(out);
  }

  @Benchmark
  public Tensor tanh_alloc() {
    return a.tanh();
  }

  @Benchmark
  public Tensor sum_out() {
    return a.sum(total);
  }

  @Benchmark
  public Tensor sum_alloc() {
    return a.sum();
  }
}
