package dev.autograd.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradcheck (central differences in FLOAT64) on every differentiable op of the core, with
 * broadcast, transposed and expanded inputs; second order ({@code gradgradcheck}) for smooth ops.
 * Inputs are sampled away from kinks (relu at 0, ties in max, clamp bounds).
 */
class OpsGradcheckTest {
  /** One row: a name, fresh inputs, the function, and whether to check second order too. */
  record Case(String name, Supplier<Tensor[]> inputs, Gradcheck.Fn f, boolean secondOrder) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final DType F64 = DType.FLOAT64;
  private static long seed = 1;

  /** A standard-normal leaf that requires grad. */
  static Tensor randn(int... shape) {
    return Tensor.randn(new Generator(seed++), F64, shape).requiresGrad_();
  }

  /** Values in [0.5, 2): for log, sqrt, division. */
  static Tensor positive(int... shape) {
    return Tensor.rand(new Generator(seed++), F64, shape).mul(1.5).add(0.5).requiresGrad_();
  }

  /** |values| in [0.2, 1.2) with random signs: away from the kink at 0. */
  static Tensor awayFromZero(int... shape) {
    Tensor m = Tensor.rand(new Generator(seed++), F64, shape).add(0.2);
    Tensor s = Tensor.randn(new Generator(seed++), F64, shape).sign();
    return m.mul(s).requiresGrad_();
  }

  /** Distinct values at least 0.1 apart, shuffled (no ties for max, sort, topk). */
  static Tensor distinct(int... shape) {
    int n = dev.autograd.core.tensor.Shapes.numel(shape);
    Tensor perm = Tensor.rand(new Generator(seed++), F64, n).sort(0, false).indices();
    return perm.to(F64).mul(0.1).sub(n * 0.05).reshape(shape).requiresGrad_();
  }

  /** A transposed (non-contiguous) leaf of shape [rows, cols]. */
  static Tensor transposed(int rows, int cols) {
    return Tensor.randn(new Generator(seed++), F64, cols, rows).t().detach().requiresGrad_();
  }

  static Tensor idx(long... v) {
    return Tensor.of(v);
  }

  private static final List<Case> CASES = new ArrayList<>();

  private static void add(String name, Supplier<Tensor[]> in, Gradcheck.Fn f) {
    CASES.add(new Case(name, in, f, false));
  }

  private static void add2(String name, Supplier<Tensor[]> in, Gradcheck.Fn f) {
    CASES.add(new Case(name, in, f, true));
  }

  private static Supplier<Tensor[]> of(Supplier<Tensor> a) {
    return () -> new Tensor[] {a.get()};
  }

  private static Supplier<Tensor[]> of(Supplier<Tensor> a, Supplier<Tensor> b) {
    return () -> new Tensor[] {a.get(), b.get()};
  }

  static {
    // --- element-wise unary (ops.Elementwise) ---
    add2("neg", of(() -> randn(3, 4)), in -> in[0].neg());
    add2("exp", of(() -> randn(3, 4)), in -> in[0].exp());
    add2("log", of(() -> positive(3, 4)), in -> in[0].log());
    add2("log1p", of(() -> positive(3, 4)), in -> in[0].log1p());
    add2("expm1", of(() -> randn(3, 4)), in -> in[0].expm1());
    add2("sqrt", of(() -> positive(3, 4)), in -> in[0].sqrt());
    add2("rsqrt", of(() -> positive(3, 4)), in -> in[0].rsqrt());
    add2("abs", of(() -> awayFromZero(3, 4)), in -> in[0].abs());
    add2("sin", of(() -> randn(3, 4)), in -> in[0].sin());
    add2("cos", of(() -> randn(3, 4)), in -> in[0].cos());
    add2("tan", of(() -> awayFromZero(3, 4)), in -> in[0].tan());
    add2("tanh", of(() -> randn(3, 4)), in -> in[0].tanh());
    add2("sigmoid", of(() -> randn(3, 4)), in -> in[0].sigmoid());
    add2("relu", of(() -> awayFromZero(3, 4)), in -> in[0].relu());
    add2("leakyRelu", of(() -> awayFromZero(3, 4)), in -> in[0].leakyRelu(0.1));
    add2("reciprocal", of(() -> positive(3, 4)), in -> in[0].reciprocal());
    add2("square", of(() -> randn(3, 4)), in -> in[0].square());
    add2("pow 2.5", of(() -> positive(3, 4)), in -> in[0].pow(2.5));
    add2("pow 3", of(() -> randn(3, 4)), in -> in[0].pow(3));
    add2("pow -1", of(() -> positive(3, 4)), in -> in[0].pow(-1));
    add2("pow 0", of(() -> positive(3, 4)), in -> in[0].pow(0));
    add2("softplus", of(() -> randn(3, 4)), in -> in[0].softplus());
    add2("erf", of(() -> randn(3, 4)), in -> in[0].erf());
    add2("gelu", of(() -> randn(3, 4)), in -> in[0].gelu());
    add2("silu", of(() -> randn(3, 4)), in -> in[0].silu());
    add("sign", of(() -> awayFromZero(3, 4)), in -> in[0].sign());
    add("floor", of(() -> randn(3, 4).add(0.01).detach().requiresGrad_()), in -> in[0].floor());
    add("ceil", of(() -> randn(3, 4)), in -> in[0].ceil());
    add("round", of(() -> randn(3, 4)), in -> in[0].round());
    add2("exp of transposed", of(() -> transposed(3, 4)), in -> in[0].exp());
    add2("tanh of expanded", of(() -> randn(3, 1)), in -> in[0].expand(3, 4).tanh());
    add2("chain x^2 e^x", of(() -> randn(5)), in -> in[0].pow(2).mul(in[0].exp()));
    // --- binary with broadcasting (ops.Binary) ---
    add2("add", of(() -> randn(2, 3), () -> randn(2, 3)), in -> in[0].add(in[1]));
    add2("add broadcast", of(() -> randn(3, 1), () -> randn(1, 4)), in -> in[0].add(in[1]));
    add2("add alpha", of(() -> randn(3, 4), () -> randn(4)), in -> in[0].add(in[1], 2.5));
    add2("add scalar", of(() -> randn(3, 4)), in -> in[0].add(1.5));
    add2("sub broadcast rank", of(() -> randn(2, 3, 4), () -> randn(4)), in -> in[0].sub(in[1]));
    add2("rsub", of(() -> randn(3, 4)), in -> in[0].rsub(2));
    add2("mul broadcast", of(() -> randn(3, 1), () -> randn(1, 4)), in -> in[0].mul(in[1]));
    add2("mul 0-dim", of(() -> randn(3), () -> randn()), in -> in[0].mul(in[1]));
    add2("mul transposed", of(() -> transposed(3, 4), () -> randn(3, 4)), in -> in[0].mul(in[1]));
    add2("mul same input", of(() -> randn(3, 4)), in -> in[0].mul(in[0]));
    add2("div broadcast", of(() -> randn(2, 3, 4), () -> positive(3, 1)), in -> in[0].div(in[1]));
    add2("rdiv", of(() -> positive(3, 4)), in -> in[0].rdiv(2));
    add2("pow tensor", of(() -> positive(2, 3), () -> randn(2, 3)), in -> in[0].pow(in[1]));
    add2("pow tensor broadcast", of(() -> positive(2, 3), () -> randn(3)), in -> in[0].pow(in[1]));
    add("maximum", of(() -> distinct(3, 4), () -> distinct(3, 4).add(0.05).detach().requiresGrad_()), in -> in[0].maximum(in[1]));
    add("minimum broadcast", of(() -> distinct(3, 4), () -> distinct(4).add(0.05).detach().requiresGrad_()), in -> in[0].minimum(in[1]));
    // --- selection (ops.Select) ---
    add2("where broadcast", of(() -> randn(3, 4), () -> randn(1, 4)),
        in -> Tensor.where(Tensor.of(new boolean[] {true, false, true, false}, 4), in[0], in[1].mul(2)));
    add2("maskedFill", of(() -> randn(3, 4)),
        in -> in[0].mul(in[0]).maskedFill(Tensor.of(new boolean[] {true, false, false}, 3, 1), 7));
    add("clamp", of(() -> distinct(3, 4).mul(3).add(0.01).detach().requiresGrad_()), in -> in[0].clamp(-0.5, 0.7));
    add("clampMin", of(() -> awayFromZero(3, 4)), in -> in[0].clampMin(0));
    add("clampMax", of(() -> awayFromZero(3, 4)), in -> in[0].clampMax(0));
    // --- views and copies (ops.Movement) ---
    add2("reshape", of(() -> randn(3, 4)), in -> in[0].reshape(2, -1).square());
    add2("reshape of transposed", of(() -> transposed(3, 4)), in -> in[0].reshape(12).square());
    add2("view", of(() -> randn(3, 4)), in -> in[0].view(4, 3).square());
    add2("flatten", of(() -> randn(2, 3, 2)), in -> in[0].flatten(1).square());
    add2("permute", of(() -> randn(2, 3, 4)), in -> in[0].permute(2, 0, 1).square());
    add2("transpose", of(() -> randn(2, 3, 4)), in -> in[0].transpose(0, 2).square());
    add2("t", of(() -> randn(3, 4)), in -> in[0].t().square());
    add2("mT", of(() -> randn(2, 3, 4)), in -> in[0].mT().square());
    add2("expand", of(() -> randn(3, 1)), in -> in[0].expand(2, 3, 4).square());
    add2("expandAs", of(() -> randn(4), () -> randn(3, 4)), in -> in[0].expandAs(in[1]).mul(in[1]));
    add2("sumTo", of(() -> randn(2, 3, 4)), in -> in[0].square().sumTo(3, 1));
    add2("narrow", of(() -> randn(3, 5)), in -> in[0].narrow(1, 1, 3).square());
    add2("slice step", of(() -> randn(3, 6)), in -> in[0].slice(1, 1, 6, 2).square());
    add2("slice negative", of(() -> randn(6)), in -> in[0].slice(0, -4, -1, 1).square());
    add2("select", of(() -> randn(3, 4)), in -> in[0].select(1, 2).square());
    add2("select of transposed", of(() -> transposed(3, 4)), in -> in[0].select(0, 1).square());
    add2("squeeze", of(() -> randn(3, 1, 4)), in -> in[0].squeeze().square());
    add2("squeeze dim", of(() -> randn(3, 1, 4)), in -> in[0].squeeze(1).square());
    add2("unsqueeze", of(() -> randn(3, 4)), in -> in[0].unsqueeze(1).square());
    add2("contiguous", of(() -> transposed(3, 4)), in -> in[0].contiguous().square());
    add2("clone", of(() -> randn(3, 4)), in -> in[0].clone().square());
    add2("cat", of(() -> randn(2, 3), () -> randn(2, 2)), in -> Tensor.cat(1, in[0], in[1].square()));
    add2("cat of transposed", of(() -> transposed(2, 3), () -> randn(1, 3)), in -> Tensor.cat(0, in[0], in[1]).square());
    add2("stack", of(() -> randn(2, 3), () -> randn(2, 3)), in -> Tensor.stack(1, in[0], in[1].square()));
    add2("in-place mul_ on a non-leaf", of(() -> randn(3, 4), () -> randn(4)), in -> in[0].sin().mul_(in[1]));
    add2("in-place add_ alpha", of(() -> randn(3, 4), () -> randn(3, 4)), in -> in[0].mul(1).add_(in[1].square(), 0.5));
    add2("in-place sub_ div_", of(() -> randn(3, 4), () -> positive(3, 4)), in -> in[0].mul(1).sub_(in[1]).div_(in[1]));
    add2("in-place exp_ pow_ sqrt_", of(() -> randn(3, 4)), in -> in[0].mul(1).exp_().pow_(3).sqrt_());
    add2("in-place neg_ mul_ scalar", of(() -> randn(3, 4)), in -> in[0].mul(1).neg_().mul_(2.5).add_(1.0));
    add("in-place relu_ clamp_", of(() -> awayFromZero(3, 4)), in -> in[0].mul(1).relu_().clamp_(null, 0.9));
    add2("in-place copy_ into a non-leaf", of(() -> randn(3, 4), () -> randn(4)), in -> in[0].mul(1).copy_(in[1].square()));
    add("in-place fill_", of(() -> randn(3, 4)), in -> in[0].mul(1).fill_(2).add(in[0]));
    // --- reductions (ops.Reductions) ---
    add2("sum", of(() -> randn(2, 3, 4)), in -> in[0].square().sum());
    add2("sum dim", of(() -> randn(2, 3, 4)), in -> in[0].square().sum(1));
    add2("sum dims keepDim", of(() -> randn(2, 3, 4)), in -> in[0].square().sum(new int[] {0, 2}, true));
    add2("sum of transposed", of(() -> transposed(3, 4)), in -> in[0].square().sum(0));
    add2("sum of expanded", of(() -> randn(3, 1)), in -> in[0].expand(3, 4).square().sum(1, true));
    add2("mean", of(() -> randn(2, 3, 4)), in -> in[0].square().mean());
    add2("mean dim", of(() -> randn(2, 3, 4)), in -> in[0].square().mean(-1, true));
    add2("mean dims", of(() -> randn(2, 3, 4)), in -> in[0].square().mean(new int[] {0, 1}, false));
    // --- linear algebra (ops.Matmul) ---
    add2("mm", of(() -> randn(3, 4), () -> randn(4, 2)), in -> in[0].mm(in[1]));
    add2("mm transposed", of(() -> transposed(3, 4), () -> transposed(4, 2)), in -> in[0].mm(in[1]));
    add2("bmm", of(() -> randn(2, 3, 4), () -> randn(2, 4, 2)), in -> in[0].bmm(in[1]));
    add2("matmul batch broadcast", of(() -> randn(2, 1, 3, 4), () -> randn(3, 4, 2)), in -> in[0].matmul(in[1]));
    add2("matmul vec mat", of(() -> randn(4), () -> randn(4, 3)), in -> in[0].matmul(in[1]));
    add2("matmul mat vec", of(() -> randn(3, 4), () -> randn(4)), in -> in[0].matmul(in[1]));
    add2("matmul batch vec", of(() -> randn(2, 3, 4), () -> randn(4)), in -> in[0].matmul(in[1]));
    add2("matmul vec vec", of(() -> randn(4), () -> randn(4)), in -> in[0].matmul(in[1]));
    add2("mv", of(() -> randn(3, 4), () -> randn(4)), in -> in[0].mv(in[1]));
    add2("dot", of(() -> randn(5), () -> randn(5)), in -> in[0].dot(in[1]));
    add2("outer", of(() -> randn(3), () -> randn(4)), in -> in[0].outer(in[1]));
    add2("matmul expanded", of(() -> randn(1, 4), () -> randn(4, 2)), in -> in[0].expand(3, 4).matmul(in[1]));
    add2("cast to float64 and back", of(() -> randn(3)), in -> in[0].to(DType.FLOAT64).square());
    // --- statistics (ops.Statistics) ---
    add("max dim", of(() -> distinct(3, 4, 2)), in -> in[0].max(1, false).values());
    add("max dim keepDim", of(() -> distinct(3, 4)), in -> in[0].max(-1, true).values());
    add("min dim", of(() -> distinct(3, 4)), in -> in[0].min(0, false).values());
    add("max all", of(() -> distinct(3, 4)), in -> in[0].max());
    add("min all", of(() -> distinct(3, 4)), in -> in[0].min());
    add("amax dims", of(() -> distinct(2, 3, 4)), in -> in[0].amax(new int[] {0, 2}, false));
    add("amin keepDim", of(() -> distinct(2, 3, 4)), in -> in[0].amin(new int[] {1}, true));
    add2("max of transposed", of(() -> transposed(3, 4)), in -> in[0].max(1, false).values().square());
    add2("logsumexp", of(() -> randn(3, 4)), in -> in[0].logsumexp(1, false));
    add2("logsumexp dims keepDim", of(() -> randn(2, 3, 4)), in -> in[0].logsumexp(new int[] {0, 2}, true));
    add2("logsumexp large", of(() -> randn(3, 4).mul(50).detach().requiresGrad_()), in -> in[0].logsumexp(0, false));
    add2("var dim unbiased", of(() -> randn(3, 4)), in -> in[0].var(1, true, false));
    add2("var all biased", of(() -> randn(3, 4)), in -> in[0].var(false));
    add2("var dims keepDim", of(() -> randn(2, 3, 4)), in -> in[0].var(new int[] {0, 2}, true, true));
    add2("std dim", of(() -> randn(3, 4)), in -> in[0].std(0, true, true));
    add2("std all", of(() -> randn(3, 4)), in -> in[0].std(true));
    add2("norm 2", of(() -> randn(3, 4)), in -> in[0].norm());
    add2("norm 3 dim", of(() -> awayFromZero(3, 4)), in -> in[0].norm(3, 1, false));
    add2("norm 1.5", of(() -> awayFromZero(3, 4)), in -> in[0].norm(1.5));
    add("norm 1", of(() -> awayFromZero(3, 4)), in -> in[0].norm(1, 0, true));
    add("norm inf", of(() -> distinct(3, 4).add(0.033).detach().requiresGrad_()), in -> in[0].norm(Double.POSITIVE_INFINITY, 1, false));
    add2("norm 2 dims", of(() -> randn(2, 3, 4)), in -> in[0].norm(2, new int[] {1, 2}, false));
    add2("prod", of(() -> randn(3, 4)), in -> in[0].prod());
    add2("prod dim", of(() -> randn(3, 4)), in -> in[0].prod(1, false));
    add2("prod dim with a zero", of(() -> withZeros(false)), in -> in[0].prod(1, true));
    add2("prod dim with two zeros", of(() -> withZeros(true)), in -> in[0].prod(1, false));
    add2("prod all with a zero", of(() -> withZeros(false)), in -> in[0].prod());
    add2("cumsum", of(() -> randn(3, 4)), in -> in[0].cumsum(1).square());
    add2("cumsum of transposed", of(() -> transposed(3, 4)), in -> in[0].cumsum(0).square());
    // --- indexing (ops.Indexing) ---
    add2("indexSelect", of(() -> randn(3, 4)), in -> in[0].indexSelect(1, idx(3, 0, 3)).square());
    add2("indexSelect of transposed", of(() -> transposed(3, 4)), in -> in[0].indexSelect(0, idx(2, 2, 1)).square());
    add2("indexAdd", of(() -> randn(3, 4), () -> randn(3, 2)), in -> in[0].indexAdd(1, idx(1, 1), in[1]).square());
    add2("gather", of(() -> randn(3, 4)), in -> in[0].gather(1, Tensor.of(new long[] {0, 3, 1, 1, 2, 0}, 3, 2)).square());
    add2("gather dim 0", of(() -> randn(3, 4)), in -> in[0].gather(0, Tensor.of(new long[] {2, 0, 1, 1}, 1, 4)).square());
    add2("scatterAdd", of(() -> randn(3, 4), () -> randn(3, 2)),
        in -> in[0].scatterAdd(1, Tensor.of(new long[] {0, 0, 3, 1, 2, 2}, 3, 2), in[1]).square());
    add2("scatterAdd src larger than index", of(() -> randn(3, 4), () -> randn(3, 3)),
        in -> in[0].scatterAdd(1, Tensor.of(new long[] {0, 0, 3, 1, 2, 2}, 3, 2), in[1]).square());
    add2("scatterAdd of expanded", of(() -> randn(1, 4), () -> randn(3, 2)),
        in -> in[0].expand(3, 4).scatterAdd(0, Tensor.of(new long[] {2, 0}, 1, 2), in[1]).square());
    // --- softmax (ops.Softmax) ---
    add2("softmax", of(() -> randn(3, 5)), in -> in[0].softmax(1));
    add2("softmax dim 0", of(() -> randn(3, 5)), in -> in[0].softmax(0));
    add2("softmax of transposed", of(() -> transposed(3, 5)), in -> in[0].softmax(-1));
    add2("logSoftmax", of(() -> randn(3, 5)), in -> in[0].logSoftmax(-1));
    add2("logSoftmax 3-D", of(() -> randn(2, 3, 4)), in -> in[0].logSoftmax(1));
    // --- reorder and sorting (ops.Reorder, ops.Sorting) ---
    add2("split", of(() -> randn(5, 3)), in -> in[0].split(2, 0)[2].square());
    add2("chunk", of(() -> randn(3, 5)), in -> in[0].chunk(2, 1)[1].square());
    add2("repeat", of(() -> randn(2, 3)), in -> in[0].repeat(2, 1, 2).square());
    add2("repeat of transposed", of(() -> transposed(2, 3)), in -> in[0].repeat(3, 1).square());
    add2("flip", of(() -> randn(3, 4)), in -> in[0].flip(0, 1).square());
    add2("flip of transposed", of(() -> transposed(3, 4)), in -> in[0].flip(-1).square());
    add("sort", of(() -> distinct(3, 4)), in -> in[0].sort(1, false).values().square());
    add("sort descending", of(() -> distinct(3, 4)), in -> in[0].sort(0, true).values().square());
    add("topk", of(() -> distinct(3, 5)), in -> in[0].topk(2, 1, true, true).values().square());
    add("topk smallest", of(() -> distinct(4, 3)), in -> in[0].topk(3, 0, false, true).values().square());
  }

  /** A [2, 4] tensor with one zero (or two, in the first row). */
  private static Tensor withZeros(boolean two) {
    double[] v = {0.5, 0, -1.5, two ? 0 : 2, 1.2, -0.7, 0.9, 1.1};
    return Tensor.of(v, 2, 4).requiresGrad_();
  }

  static Stream<Case> cases() {
    return CASES.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientsMatchFiniteDifferences(Case c) {
    Gradcheck.assertGradients(c.f(), c.inputs().get());
    if (c.secondOrder()) Gradcheck.assertSecondOrder(c.f(), c.inputs().get());
  }
}
