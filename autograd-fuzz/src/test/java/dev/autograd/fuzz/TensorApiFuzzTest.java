package dev.autograd.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.autograd.core.DType;
import dev.autograd.core.Generator;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Random calls over the public {@link Tensor} API: the input picks tensors (rank 0..3, sizes 0..4 —
 * empty tensors included — any dtype, some requiring grad, some as views at an offset), then up to
 * 24 calls among ~50 ops with argument values from the input (dims, sizes, indices, scalars: small
 * ones, negative ones, the extremes of int, NaN and infinities), then maybe backward. Every call
 * may only return, or throw a documented exception with a message: IllegalArgumentException,
 * IllegalStateException, IndexOutOfBoundsException (not its array or string subclasses),
 * UnsupportedOperationException, NullPointerException, and an OutOfMemoryError only when it names
 * the request and -Xmx (a huge empty tensor split into billions of pieces, say). Seeds: {@code
 * src/test/resources/dev/autograd/fuzz/TensorApiFuzzTestInputs/calls/}.
 */
class TensorApiFuzzTest {
  private static final int[] INTS = {
    0, 1, 2, 3, -1, -2, 4, 5, Integer.MAX_VALUE, Integer.MIN_VALUE, 7, -4
  };
  private static final double[] DOUBLES = {
    0,
    1,
    -1,
    0.5,
    2,
    -2.5,
    Double.NaN,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    1e300,
    -0.0,
    3
  };
  private static final DType[] DTYPES = {DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.BOOL};

  @FuzzTest(maxDuration = Fuzz.DURATION)
  void calls(FuzzedDataProvider in) {
    List<Tensor> pool = new ArrayList<>();
    int tensors = 1 + in.consumeInt(0, 2);
    for (int i = 0; i < tensors; i++) pool.add(make(in));
    int calls = in.consumeInt(0, 24);
    for (int c = 0; c < calls && in.remainingBytes() > 0; c++) {
      int op = in.consumeInt(0, OPS - 1);
      Tensor a = pick(in, pool), b = pick(in, pool);
      Tensor[] out = new Tensor[1];
      Throwable t =
          Fuzz.expect(
              () -> out[0] = call(op, a, b, in, pool),
              IllegalArgumentException.class,
              IllegalStateException.class,
              IndexOutOfBoundsException.class,
              UnsupportedOperationException.class,
              NullPointerException.class,
              OutOfMemoryError.class);
      if (t != null) checkDocumented(t, op);
      if (out[0] != null && out[0].numel() <= 4096 && pool.size() < 8) pool.add(out[0]);
    }
  }

  private static void checkDocumented(Throwable t, int op) {
    if (t instanceof ArrayIndexOutOfBoundsException
        || t instanceof StringIndexOutOfBoundsException) {
      throw new AssertionError("op " + op + ": a bare " + t.getClass().getSimpleName(), t);
    }
    if (t.getMessage() == null || t.getMessage().isBlank())
      throw new AssertionError("op " + op + ": an exception without a message", t);
    if (t instanceof OutOfMemoryError && !t.getMessage().contains("-Xmx")) {
      throw new AssertionError(
          "op " + op + ": the JVM's own OutOfMemoryError, not one naming the request", t);
    }
    if (t.getMessage().length() > 2000)
      throw new AssertionError(
          "op " + op + ": a message of " + t.getMessage().length() + " characters", t);
  }

  private static Tensor pick(FuzzedDataProvider in, List<Tensor> pool) {
    return pool.get(in.consumeInt(0, pool.size() - 1));
  }

  private static int anInt(FuzzedDataProvider in) {
    return INTS[in.consumeInt(0, INTS.length - 1)];
  }

  private static double aDouble(FuzzedDataProvider in) {
    return DOUBLES[in.consumeInt(0, DOUBLES.length - 1)];
  }

  private static int[] someInts(FuzzedDataProvider in) {
    int[] v = new int[in.consumeInt(0, 4)];
    for (int i = 0; i < v.length; i++) v[i] = anInt(in);
    return v;
  }

  // a tensor of rank 0..3 with sizes 0..4, sometimes a view at an offset, sometimes requiring grad
  private static Tensor make(FuzzedDataProvider in) {
    int[] shape = new int[in.consumeInt(0, 3)];
    for (int i = 0; i < shape.length; i++) shape[i] = in.consumeInt(0, 4);
    DType dt = DTYPES[in.consumeInt(0, 3)];
    Tensor t =
        dt == DType.BOOL
            ? Tensor.rand(new Generator(in.consumeLong()), DType.FLOAT32, shape).gt(0.5)
            : Tensor.randn(new Generator(in.consumeLong()), DType.FLOAT64, shape).mul(3).to(dt);
    if (shape.length > 0 && shape[0] > 1 && in.consumeBoolean())
      t = t.narrow(0, 1, shape[0] - 1); // a view at an offset
    if (dt.isFloatingPoint() && in.consumeBoolean()) t = t.detach().requiresGrad_();
    return t;
  }

  private static final int OPS = 56;

  private static Tensor call(int op, Tensor a, Tensor b, FuzzedDataProvider in, List<Tensor> pool) {
    switch (op) {
      case 0:
        return a.add(b);
      case 1:
        return a.sub(b);
      case 2:
        return a.mul(b);
      case 3:
        return a.div(b);
      case 4:
        return a.pow(b);
      case 5:
        return a.maximum(b);
      case 6:
        return a.atan2(b);
      case 7:
        return Tensor.where(a.gt(0), a, b);
      case 8:
        return a.maskedFill(b.gt(0), aDouble(in));
      case 9:
        return a.matmul(b);
      case 10:
        return a.mm(b);
      case 11:
        return a.bmm(b);
      case 12:
        return a.sum(anInt(in), in.consumeBoolean());
      case 13:
        return a.mean(anInt(in), in.consumeBoolean());
      case 14:
        return a.max(anInt(in), in.consumeBoolean()).values();
      case 15:
        return a.softmax(anInt(in));
      case 16:
        return a.logSoftmax(anInt(in));
      case 17:
        return a.cumsum(anInt(in));
      case 18:
        return a.logcumsumexp(anInt(in));
      case 19:
        return a.reshape(someInts(in));
      case 20:
        return a.view(someInts(in));
      case 21:
        return a.expand(someInts(in));
      case 22:
        return a.permute(someInts(in));
      case 23:
        return a.transpose(anInt(in), anInt(in));
      case 24:
        return a.narrow(anInt(in), anInt(in), anInt(in));
      case 25:
        return a.slice(anInt(in), anInt(in), anInt(in), anInt(in));
      case 26:
        return a.select(anInt(in), anInt(in));
      case 27:
        return a.squeeze(anInt(in));
      case 28:
        return a.unsqueeze(anInt(in));
      case 29:
        return Tensor.cat(anInt(in), a, b);
      case 30:
        return Tensor.stack(anInt(in), a, b);
      case 31:
        return a.indexSelect(anInt(in), b);
      case 32:
        return a.gather(anInt(in), b);
      case 33:
        return a.scatterAdd(anInt(in), b, pick(in, pool));
      case 34:
        return a.repeat(someInts(in));
      case 35:
        return a.flip(someInts(in));
      case 36:
        return a.sort(anInt(in), in.consumeBoolean()).values();
      case 37:
        return a.topk(anInt(in), anInt(in), in.consumeBoolean(), true).values();
      case 38:
        return inPlace(a, () -> a.exp_());
      case 39:
        return inPlace(a, () -> a.add_(b));
      case 40:
        return inPlace(a, () -> a.copy_(b));
      case 41:
        return inPlace(a, () -> a.fill_(aDouble(in)));
      case 42:
        return a.clamp(
            in.consumeBoolean() ? null : aDouble(in), in.consumeBoolean() ? null : aDouble(in));
      case 43:
        return a.to(DTYPES[in.consumeInt(0, 3)]);
      case 44:
        return Tensor.scalar(a.item());
      case 45:
        return Tensor.scalar(a.toString().length());
      case 46:
        a.sum().backward();
        return a.grad();
      case 47:
        return a.norm(aDouble(in), anInt(in), in.consumeBoolean());
      case 48:
        return a.var(anInt(in), in.consumeBoolean(), in.consumeBoolean());
      case 49:
        return a.argmax(anInt(in), in.consumeBoolean());
      case 50:
        return a.split(anInt(in), anInt(in))[0];
      case 51:
        return Tensor.arange(aDouble(in), aDouble(in), aDouble(in));
      case 52:
        return a.index(b);
      case 53:
        return a.index(null, b, in.consumeBoolean() ? null : pick(in, pool));
      case 54:
        return a.indexPut(new Tensor[] {b}, pick(in, pool), in.consumeBoolean());
      case 55:
        return inPlace(
            a, () -> a.indexPut_(new Tensor[] {null, b}, pick(in, pool), in.consumeBoolean()));
      default:
        throw new AssertionError("no op " + op);
    }
  }

  // in-place ops on a leaf that requires grad are refused under grad mode: run some under noGrad
  private static Tensor inPlace(Tensor a, java.util.function.Supplier<Tensor> op) {
    if (!a.requiresGrad()) return op.get();
    try (GradMode.Scope s = GradMode.scope(false)) {
      return op.get();
    }
  }
}
