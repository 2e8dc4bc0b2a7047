package dev.autograd.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autograd.core.internal.nn.NnOps;
import dev.autograd.core.testing.Golden;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The one list of op cases that the op tests run: gradcheck rows (central differences in FLOAT64,
 * second order for smooth ops; inputs sampled away from kinks and ties) for every differentiable op
 * of the core and the nn primitives, and the table from ops.json's op names to our API. {@link
 * OpsGradcheckTest}, {@link GoldenOpsTest} and {@link OpsTableTest} run over it.
 */
final class OpCases {
  private OpCases() {}

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

  /** Uniform values in [lo, hi), requiring grad. */
  static Tensor uniform(double lo, double hi, int... shape) {
    return Tensor.rand(new Generator(seed++), F64, shape)
        .mul(hi - lo)
        .add(lo)
        .detach()
        .requiresGrad_();
  }

  private static final Tensor TARGETS = Tensor.of(new long[] {0, 3, 1, 3, 2}, 5);
  private static final Tensor IGNORED = Tensor.of(new long[] {0, -100, 1, 3, -100}, 5);
  private static final Tensor CLASS_WEIGHTS = Tensor.of(new double[] {0.2, 1.0, 0.5, 2.0});
  private static final Tensor EMBEDDING_INDICES = Tensor.of(new long[] {1, 3, 1, 0, 4, 4}, 2, 3);

  static Tensor idx(long... v) {
    return Tensor.of(v);
  }

  private static final List<Case> CASES = new ArrayList<>();

  /** ops.json op name + keyword arguments -> our API (the golden runner's table). */
  static final Map<String, BiFunction<JsonNode, Tensor[], Tensor>> GOLDEN_API = new HashMap<>();

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

  private static Supplier<Tensor[]> of(Supplier<Tensor> a, Supplier<Tensor> b, Supplier<Tensor> c) {
    return () -> new Tensor[] {a.get(), b.get(), c.get()};
  }

  static {
    // --- element-wise unary (ops.ElementwiseOps) ---
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
    // --- binary with broadcasting (ops.ElementwiseOps) ---
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
    add2("atan2", of(() -> randn(2, 3), () -> awayFromZero(2, 3)), in -> in[0].atan2(in[1]));
    add2("atan2 broadcast", of(() -> randn(3, 1), () -> randn(4)), in -> in[0].atan2(in[1]));
    add(
        "maximum",
        of(() -> distinct(3, 4), () -> distinct(3, 4).add(0.05).detach().requiresGrad_()),
        in -> in[0].maximum(in[1]));
    add(
        "minimum broadcast",
        of(() -> distinct(3, 4), () -> distinct(4).add(0.05).detach().requiresGrad_()),
        in -> in[0].minimum(in[1]));
    // --- clamp, where, masked fill (ops.ElementwiseOps) ---
    add2(
        "where broadcast",
        of(() -> randn(3, 4), () -> randn(1, 4)),
        in ->
            Tensor.where(
                Tensor.of(new boolean[] {true, false, true, false}, 4), in[0], in[1].mul(2)));
    add2(
        "maskedFill",
        of(() -> randn(3, 4)),
        in -> in[0].mul(in[0]).maskedFill(Tensor.of(new boolean[] {true, false, false}, 3, 1), 7));
    add(
        "clamp",
        of(() -> distinct(3, 4).mul(3).add(0.01).detach().requiresGrad_()),
        in -> in[0].clamp(-0.5, 0.7));
    add2(
        "clamp second order",
        of(() -> distinct(3, 4).mul(3).add(0.01).detach().requiresGrad_()),
        in -> in[0].clamp(-0.5, 0.7).square());
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
    add2(
        "cat",
        of(() -> randn(2, 3), () -> randn(2, 2)),
        in -> Tensor.cat(1, in[0], in[1].square()));
    add2(
        "cat of transposed",
        of(() -> transposed(2, 3), () -> randn(1, 3)),
        in -> Tensor.cat(0, in[0], in[1]).square());
    add2(
        "stack",
        of(() -> randn(2, 3), () -> randn(2, 3)),
        in -> Tensor.stack(1, in[0], in[1].square()));
    add2(
        "in-place mul_ on a non-leaf",
        of(() -> randn(3, 4), () -> randn(4)),
        in -> in[0].sin().mul_(in[1]));
    add2(
        "in-place add_ alpha",
        of(() -> randn(3, 4), () -> randn(3, 4)),
        in -> in[0].mul(1).add_(in[1].square(), 0.5));
    add2(
        "in-place sub_ div_",
        of(() -> randn(3, 4), () -> positive(3, 4)),
        in -> in[0].mul(1).sub_(in[1]).div_(in[1]));
    add2(
        "in-place exp_ pow_ sqrt_",
        of(() -> randn(3, 4)),
        in -> in[0].mul(1).exp_().pow_(3).sqrt_());
    add2(
        "in-place neg_ mul_ scalar",
        of(() -> randn(3, 4)),
        in -> in[0].mul(1).neg_().mul_(2.5).add_(1.0));
    add(
        "in-place relu_ clamp_",
        of(() -> awayFromZero(3, 4)),
        in -> in[0].mul(1).relu_().clamp_(null, 0.9));
    add2(
        "in-place copy_ into a non-leaf",
        of(() -> randn(3, 4), () -> randn(4)),
        in -> in[0].mul(1).copy_(in[1].square()));
    // in-place on views: the base's history becomes CopySlices, views see it (as_strided)
    add2(
        "in-place copy_ into rows of zeros (x[0] = a, x[1] = 2b)",
        of(() -> randn(3), () -> randn(3)),
        in -> {
          Tensor x = Tensor.zeros(F64, 2, 3);
          x.select(0, 0).copy_(in[0]);
          x.select(0, 1).copy_(in[1].mul(2));
          return x.mul(x);
        });
    add2(
        "in-place mul_ on a narrow view of a non-leaf",
        of(() -> randn(3, 4), () -> randn(3, 2)),
        in -> {
          Tensor h = in[0].mul(1);
          h.narrow(1, 1, 2).mul_(in[1]);
          return h.square();
        });
    add2(
        "in-place mul_ seen by a view taken before it",
        of(() -> randn(3, 4)),
        in -> {
          Tensor h = in[0].sin();
          Tensor early = h.select(1, 2);
          h.narrow(1, 1, 2).mul_(3);
          return early.mul(h.sum());
        });
    add("in-place fill_", of(() -> randn(3, 4)), in -> in[0].mul(1).fill_(2).add(in[0]));
    // --- reductions (ops.Reductions) ---
    add2("sum", of(() -> randn(2, 3, 4)), in -> in[0].square().sum());
    add2("sum dim", of(() -> randn(2, 3, 4)), in -> in[0].square().sum(1));
    add2(
        "sum dims keepDim",
        of(() -> randn(2, 3, 4)),
        in -> in[0].square().sum(new int[] {0, 2}, true));
    add2("sum of transposed", of(() -> transposed(3, 4)), in -> in[0].square().sum(0));
    add2("sum of expanded", of(() -> randn(3, 1)), in -> in[0].expand(3, 4).square().sum(1, true));
    add2("mean", of(() -> randn(2, 3, 4)), in -> in[0].square().mean());
    add2("mean dim", of(() -> randn(2, 3, 4)), in -> in[0].square().mean(-1, true));
    add2("mean dims", of(() -> randn(2, 3, 4)), in -> in[0].square().mean(new int[] {0, 1}, false));
    // --- linear algebra (ops.Matmul) ---
    add2("mm", of(() -> randn(3, 4), () -> randn(4, 2)), in -> in[0].mm(in[1]));
    add2(
        "mm transposed", of(() -> transposed(3, 4), () -> transposed(4, 2)), in -> in[0].mm(in[1]));
    add2("bmm", of(() -> randn(2, 3, 4), () -> randn(2, 4, 2)), in -> in[0].bmm(in[1]));
    add2(
        "matmul batch broadcast",
        of(() -> randn(2, 1, 3, 4), () -> randn(3, 4, 2)),
        in -> in[0].matmul(in[1]));
    add2("matmul vec mat", of(() -> randn(4), () -> randn(4, 3)), in -> in[0].matmul(in[1]));
    add2("matmul mat vec", of(() -> randn(3, 4), () -> randn(4)), in -> in[0].matmul(in[1]));
    add2("matmul batch vec", of(() -> randn(2, 3, 4), () -> randn(4)), in -> in[0].matmul(in[1]));
    add2("matmul vec vec", of(() -> randn(4), () -> randn(4)), in -> in[0].matmul(in[1]));
    add2("mv", of(() -> randn(3, 4), () -> randn(4)), in -> in[0].mv(in[1]));
    add2("dot", of(() -> randn(5), () -> randn(5)), in -> in[0].dot(in[1]));
    add2("outer", of(() -> randn(3), () -> randn(4)), in -> in[0].outer(in[1]));
    add2(
        "matmul expanded",
        of(() -> randn(1, 4), () -> randn(4, 2)),
        in -> in[0].expand(3, 4).matmul(in[1]));
    add2("cast to float64 and back", of(() -> randn(3)), in -> in[0].to(DType.FLOAT64).square());
    // --- statistics (ops.Statistics) ---
    add("max dim", of(() -> distinct(3, 4, 2)), in -> in[0].max(1, false).values());
    add("max dim keepDim", of(() -> distinct(3, 4)), in -> in[0].max(-1, true).values());
    add("min dim", of(() -> distinct(3, 4)), in -> in[0].min(0, false).values());
    add("max all", of(() -> distinct(3, 4)), in -> in[0].max());
    add("min all", of(() -> distinct(3, 4)), in -> in[0].min());
    add("amax dims", of(() -> distinct(2, 3, 4)), in -> in[0].amax(new int[] {0, 2}, false));
    add("amin keepDim", of(() -> distinct(2, 3, 4)), in -> in[0].amin(new int[] {1}, true));
    add2(
        "max of transposed",
        of(() -> transposed(3, 4)),
        in -> in[0].max(1, false).values().square());
    add2("logsumexp", of(() -> randn(3, 4)), in -> in[0].logsumexp(1, false));
    add2(
        "logsumexp dims keepDim",
        of(() -> randn(2, 3, 4)),
        in -> in[0].logsumexp(new int[] {0, 2}, true));
    add2(
        "logsumexp large",
        of(() -> randn(3, 4).mul(50).detach().requiresGrad_()),
        in -> in[0].logsumexp(0, false));
    add2("var dim unbiased", of(() -> randn(3, 4)), in -> in[0].var(1, true, false));
    add2("var all biased", of(() -> randn(3, 4)), in -> in[0].var(false));
    add2(
        "var dims keepDim",
        of(() -> randn(2, 3, 4)),
        in -> in[0].var(new int[] {0, 2}, true, true));
    add2("std dim", of(() -> randn(3, 4)), in -> in[0].std(0, true, true));
    add2("std all", of(() -> randn(3, 4)), in -> in[0].std(true));
    add2("norm 2", of(() -> randn(3, 4)), in -> in[0].norm());
    add2("norm 3 dim", of(() -> awayFromZero(3, 4)), in -> in[0].norm(3, 1, false));
    add2("norm 1.5", of(() -> awayFromZero(3, 4)), in -> in[0].norm(1.5));
    add("norm 1", of(() -> awayFromZero(3, 4)), in -> in[0].norm(1, 0, true));
    add(
        "norm inf",
        of(() -> distinct(3, 4).add(0.033).detach().requiresGrad_()),
        in -> in[0].norm(Double.POSITIVE_INFINITY, 1, false));
    add2("norm 2 dims", of(() -> randn(2, 3, 4)), in -> in[0].norm(2, new int[] {1, 2}, false));
    add2("prod", of(() -> randn(3, 4)), in -> in[0].prod());
    add2("prod dim", of(() -> randn(3, 4)), in -> in[0].prod(1, false));
    add2("prod dim with a zero", of(() -> withZeros(false)), in -> in[0].prod(1, true));
    add2("prod dim with two zeros", of(() -> withZeros(true)), in -> in[0].prod(1, false));
    add2("prod all with a zero", of(() -> withZeros(false)), in -> in[0].prod());
    add2("cumsum", of(() -> randn(3, 4)), in -> in[0].cumsum(1).square());
    add("logcumsumexp", of(() -> randn(3, 4)), in -> in[0].logcumsumexp(1));
    add(
        "logcumsumexp of transposed, dim 0",
        of(() -> transposed(3, 4)),
        in -> in[0].logcumsumexp(0).square());
    add(
        "logcumsumexp large",
        of(() -> randn(5).mul(40).detach().requiresGrad_()),
        in -> in[0].logcumsumexp(0));
    add2("cumsum of transposed", of(() -> transposed(3, 4)), in -> in[0].cumsum(0).square());
    // --- indexing (ops.Indexing) ---
    add2("indexSelect", of(() -> randn(3, 4)), in -> in[0].indexSelect(1, idx(3, 0, 3)).square());
    add2(
        "indexSelect of transposed",
        of(() -> transposed(3, 4)),
        in -> in[0].indexSelect(0, idx(2, 2, 1)).square());
    add2(
        "indexAdd",
        of(() -> randn(3, 4), () -> randn(3, 2)),
        in -> in[0].indexAdd(1, idx(1, 1), in[1]).square());
    add2(
        "gather",
        of(() -> randn(3, 4)),
        in -> in[0].gather(1, Tensor.of(new long[] {0, 3, 1, 1, 2, 0}, 3, 2)).square());
    add2(
        "gather dim 0",
        of(() -> randn(3, 4)),
        in -> in[0].gather(0, Tensor.of(new long[] {2, 0, 1, 1}, 1, 4)).square());
    add2(
        "scatterAdd",
        of(() -> randn(3, 4), () -> randn(3, 2)),
        in -> in[0].scatterAdd(1, Tensor.of(new long[] {0, 0, 3, 1, 2, 2}, 3, 2), in[1]).square());
    add2(
        "scatterAdd src larger than index",
        of(() -> randn(3, 4), () -> randn(3, 3)),
        in -> in[0].scatterAdd(1, Tensor.of(new long[] {0, 0, 3, 1, 2, 2}, 3, 2), in[1]).square());
    add2(
        "scatterAdd of expanded",
        of(() -> randn(1, 4), () -> randn(3, 2)),
        in -> in[0].expand(3, 4).scatterAdd(0, Tensor.of(new long[] {2, 0}, 1, 2), in[1]).square());
    // --- advanced indexing (ops.AdvancedIndexing): x[i, j], x[mask], index_put ---
    add2(
        "index rows, negative and repeated",
        of(() -> randn(4, 3)),
        in -> in[0].index(idx(0, -1, 2, 0)).square());
    add2(
        "index two tensors broadcast",
        of(() -> randn(3, 4)),
        in -> in[0].index(Tensor.of(new long[] {0, 2}, 2, 1), idx(1, -1, 3)).square());
    add2(
        "index non-adjacent of transposed",
        of(() -> transposed(4, 3)),
        in -> in[0].unsqueeze(1).expand(4, 2, 3).index(idx(1, 0), null, idx(2, -1)).square());
    add2(
        "index mask",
        of(() -> randn(3, 4, 2)),
        in ->
            in[0]
                .index(
                    Tensor.of(
                        new boolean[] {
                          true, false, true, true, false, false, false, true, true, true, false,
                          false
                        },
                        3,
                        4))
                .square());
    add2(
        "indexPut values",
        of(() -> randn(5, 3), () -> randn(3)),
        in -> in[0].indexPut(new Tensor[] {idx(1, -1)}, in[1].square(), false).square());
    add2(
        "indexPut accumulate repeated",
        of(() -> randn(5, 3), () -> randn(4, 3)),
        in -> in[0].indexPut(new Tensor[] {idx(0, 2, 0, 4)}, in[1], true).square());
    add2(
        "indexPut_ on a non-leaf with a mask",
        of(() -> randn(3, 4), () -> randn(2)),
        in -> {
          Tensor h = in[0].mul(1);
          h.indexPut_(
              new Tensor[] {null, Tensor.of(new boolean[] {false, true, false, true})},
              in[1],
              false);
          return h.square();
        });
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
    add(
        "topk smallest",
        of(() -> distinct(4, 3)),
        in -> in[0].topk(3, 0, false, true).values().square());
    // --- nn primitives (internal.nn.NnOps: composites and the conv/pool/embedding entries) ---
    add(
        "linear",
        of(() -> randn(3, 4), () -> randn(2, 4), () -> randn(2)),
        in -> NnOps.linear(in[0], in[1], in[2]));
    add(
        "linear 3-D no bias",
        of(() -> randn(2, 3, 4), () -> randn(5, 4)),
        in -> NnOps.linear(in[0], in[1], null));
    for (Reduction r : Reduction.values()) {
      add(
          "mseLoss " + r,
          of(() -> randn(3, 4), () -> randn(3, 4)),
          in -> NnOps.mseLoss(in[0], in[1], r));
      add(
          "l1Loss " + r,
          of(() -> randn(3, 4), () -> randn(3, 4)),
          in -> NnOps.l1Loss(in[0], in[1], r));
      add(
          "smoothL1Loss " + r,
          of(() -> randn(3, 4), () -> randn(3, 4)),
          in -> NnOps.smoothL1Loss(in[0], in[1], r, 0.7));
      add(
          "binaryCrossEntropy " + r,
          of(() -> uniform(0.1, 0.9, 6), () -> uniform(0, 1, 6)),
          in -> NnOps.binaryCrossEntropy(in[0], in[1], null, r));
      add(
          "binaryCrossEntropy weighted " + r,
          of(() -> uniform(0.1, 0.9, 6), () -> uniform(0, 1, 6)),
          in ->
              NnOps.binaryCrossEntropy(
                  in[0], in[1], Tensor.of(new double[] {0.3, 1, 2, 0.5, 0.7, 1.5}), r));
      add(
          "binaryCrossEntropyWithLogits " + r,
          of(() -> randn(2, 3), () -> uniform(0, 1, 2, 3)),
          in ->
              NnOps.binaryCrossEntropyWithLogits(
                  in[0],
                  in[1],
                  Tensor.of(new double[] {0.5, 2, 1, 1, 0.2, 3}, 2, 3),
                  Tensor.of(new double[] {1, 2.5, 0.3}),
                  r));
      for (Tensor t : new Tensor[] {TARGETS, IGNORED}) {
        for (Tensor weight : new Tensor[] {null, CLASS_WEIGHTS}) {
          String v = r + (t == IGNORED ? " ignoreIndex" : "") + (weight == null ? "" : " weighted");
          add(
              "crossEntropy " + v,
              of(() -> randn(5, 4)),
              in -> NnOps.crossEntropy(in[0], t, weight, r, -100, 0));
          add(
              "crossEntropy smoothed " + v,
              of(() -> randn(5, 4)),
              in -> NnOps.crossEntropy(in[0], t, weight, r, -100, 0.2));
          add(
              "nllLoss " + v,
              of(() -> randn(5, 4)),
              in -> NnOps.nllLoss(NnOps.logSoftmax(in[0], 1), t, weight, r, -100));
        }
      }
    }
    add2(
        "mseLoss second order",
        of(() -> randn(3, 4), () -> randn(3, 4)),
        in -> NnOps.mseLoss(in[0], in[1], Reduction.MEAN));
    add(
        "binaryCrossEntropyWithLogits posWeight input",
        of(() -> randn(2, 3), () -> uniform(0, 1, 2, 3), () -> uniform(0.5, 2, 3)),
        in -> NnOps.binaryCrossEntropyWithLogits(in[0], in[1], null, in[2], Reduction.MEAN));
    add2(
        "crossEntropy second order",
        of(() -> randn(5, 4)),
        in -> NnOps.crossEntropy(in[0], IGNORED, CLASS_WEIGHTS, Reduction.MEAN, -100, 0.1));
    add(
        "crossEntropy K-dim targets",
        of(() -> randn(2, 3, 3)),
        in ->
            NnOps.crossEntropy(
                in[0],
                Tensor.of(new long[] {0, 2, 1, 1, 0, 2}, 2, 3),
                null,
                Reduction.MEAN,
                -100,
                0.1));
    add("softmax NN", of(() -> randn(3, 4)), in -> NnOps.softmax(in[0], 1));
    add("logSoftmax NN", of(() -> randn(3, 4)), in -> NnOps.logSoftmax(in[0], 0));
    add2("logSoftmax NN second order", of(() -> randn(2, 3)), in -> NnOps.logSoftmax(in[0], -1));
    add(
        "layerNorm",
        of(() -> randn(2, 3, 4), () -> randn(3, 4), () -> randn(3, 4)),
        in -> NnOps.layerNorm(in[0], new int[] {3, 4}, in[1], in[2], 1e-5));
    add2(
        "layerNorm second order",
        of(() -> randn(3, 4)),
        in -> NnOps.layerNorm(in[0], new int[] {4}, null, null, 1e-5));
    add(
        "batchNorm training",
        of(() -> randn(5, 3), () -> randn(3), () -> randn(3)),
        in -> NnOps.batchNorm(in[0], null, null, in[1], in[2], true, 0.1, 1e-5));
    add(
        "batchNorm training 3-D",
        of(() -> randn(2, 3, 4), () -> randn(3), () -> randn(3)),
        in -> NnOps.batchNorm(in[0], null, null, in[1], in[2], true, 0.1, 1e-5));
    add(
        "batchNorm eval",
        of(() -> randn(4, 3), () -> randn(3)),
        in ->
            NnOps.batchNorm(
                in[0], Tensor.zeros(F64, 3), Tensor.ones(F64, 3), in[1], null, false, 0.1, 1e-5));
    add("embedding", of(() -> randn(5, 2)), in -> NnOps.embedding(in[0], EMBEDDING_INDICES));
    add2(
        "embedding second order",
        of(() -> randn(5, 2)),
        in -> NnOps.embedding(in[0], EMBEDDING_INDICES).square());
    add(
        "conv2d padded",
        of(() -> randn(2, 2, 4, 4), () -> randn(3, 2, 3, 3), () -> randn(3)),
        in ->
            NnOps.conv2d(
                in[0], in[1], in[2], new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1));
    add(
        "conv2d strided",
        of(() -> randn(1, 2, 5, 4), () -> randn(2, 2, 2, 3), () -> randn(2)),
        in ->
            NnOps.conv2d(
                in[0], in[1], in[2], new int[] {2, 1}, new int[] {0, 1}, new int[] {1, 1}, 1));
    add(
        "conv2d dilated groups",
        of(() -> randn(1, 4, 5, 5), () -> randn(2, 2, 2, 2)),
        in ->
            NnOps.conv2d(
                in[0], in[1], null, new int[] {1, 1}, new int[] {0, 0}, new int[] {2, 2}, 2));
    add2(
        "conv2d second order",
        of(() -> randn(1, 1, 3, 3), () -> randn(1, 1, 2, 2)),
        in ->
            NnOps.conv2d(
                    in[0], in[1], null, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1)
                .square());
    add(
        "maxPool2d",
        of(() -> randn(2, 2, 4, 5)),
        in ->
            NnOps.maxPool2d(
                in[0], new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}));
    add(
        "maxPool2d padded",
        of(() -> randn(1, 2, 5, 5)),
        in ->
            NnOps.maxPool2d(
                in[0], new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}));
    add2(
        "maxPool2d second order",
        of(() -> randn(1, 1, 4, 4)),
        in ->
            NnOps.maxPool2d(
                    in[0], new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1})
                .square());
    add(
        "avgPool2d",
        of(() -> randn(2, 1, 4, 4)),
        in -> NnOps.avgPool2d(in[0], new int[] {2, 2}, new int[] {1, 2}, new int[] {1, 1}));
    add("dropout", of(() -> randn(4, 3)), in -> NnOps.dropout(in[0], 0.5, true, new Generator(3)));
  }

  /** A [2, 4] tensor with one zero (or two, in the first row). */
  private static Tensor withZeros(boolean two) {
    double[] v = {0.5, 0, -1.5, two ? 0 : 2, 1.2, -0.7, 0.9, 1.1};
    return Tensor.of(v, 2, 4).requiresGrad_();
  }

  static List<Case> gradcheck() {
    return CASES;
  }

  private static void unary(String name, java.util.function.Function<Tensor, Tensor> f) {
    GOLDEN_API.put(name, (a, in) -> f.apply(in[0]));
  }

  static {
    GOLDEN_API.put("atan2", (a, in) -> in[0].atan2(in[1]));
    GOLDEN_API.put("logcumsumexp", (a, in) -> in[0].logcumsumexp(a.get("dim").asInt()));
    unary("neg", Tensor::neg);
    unary("exp", Tensor::exp);
    unary("log", Tensor::log);
    unary("sqrt", Tensor::sqrt);
    unary("abs", Tensor::abs);
    unary("sin", Tensor::sin);
    unary("cos", Tensor::cos);
    unary("tanh", Tensor::tanh);
    unary("sigmoid", Tensor::sigmoid);
    unary("relu", Tensor::relu);
    unary("reciprocal", Tensor::reciprocal);
    unary("square", Tensor::square);
    unary("softplus", Tensor::softplus);
    unary("gelu", Tensor::gelu);
    unary("silu", Tensor::silu);
    unary("t", Tensor::t);
    unary("clone", Tensor::clone);
    unary("log1p", Tensor::log1p);
    unary("expm1", Tensor::expm1);
    unary("rsqrt", Tensor::rsqrt);
    unary("tan", Tensor::tan);
    unary("erf", Tensor::erf);
    unary("sign", Tensor::sign);
    unary("floor", Tensor::floor);
    unary("ceil", Tensor::ceil);
    unary("round", Tensor::round);
    GOLDEN_API.put(
        "min",
        (a, in) ->
            a.has("dim") ? in[0].min(a.get("dim").asInt(), keepDim(a)).values() : in[0].min());
    GOLDEN_API.put("amax", (a, in) -> in[0].amax(ints(a.get("dims")), keepDim(a)));
    GOLDEN_API.put("amin", (a, in) -> in[0].amin(ints(a.get("dims")), keepDim(a)));
    GOLDEN_API.put("cumsum", (a, in) -> in[0].cumsum(a.get("dim").asInt()));
    GOLDEN_API.put(
        "sort",
        (a, in) ->
            in[0].sort(a.get("dim").asInt(), a.path("descending").asBoolean(false)).values());
    GOLDEN_API.put(
        "topk",
        (a, in) ->
            in[0]
                .topk(
                    a.get("k").asInt(),
                    a.get("dim").asInt(),
                    a.path("largest").asBoolean(true),
                    true)
                .values());
    GOLDEN_API.put("index_add", (a, in) -> in[0].indexAdd(a.get("dim").asInt(), in[1], in[2]));
    GOLDEN_API.put("scatter_add", (a, in) -> in[0].scatterAdd(a.get("dim").asInt(), in[1], in[2]));
    GOLDEN_API.put("flip", (a, in) -> in[0].flip(ints(a.get("dims"))));
    GOLDEN_API.put("repeat", (a, in) -> in[0].repeat(ints(a.get("repeats"))));
    GOLDEN_API.put("leaky_relu", (a, in) -> in[0].leakyRelu(a.get("negative_slope").asDouble()));
    GOLDEN_API.put("clamp", (a, in) -> in[0].clamp(optDouble(a, "min"), optDouble(a, "max")));
    GOLDEN_API.put("pow_scalar", (a, in) -> in[0].pow(a.get("exponent").asDouble()));
    GOLDEN_API.put("add", (a, in) -> in[0].add(in[1]));
    GOLDEN_API.put("sub", (a, in) -> in[0].sub(in[1]));
    GOLDEN_API.put("mul", (a, in) -> in[0].mul(in[1]));
    GOLDEN_API.put("div", (a, in) -> in[0].div(in[1]));
    GOLDEN_API.put("maximum", (a, in) -> in[0].maximum(in[1]));
    GOLDEN_API.put("minimum", (a, in) -> in[0].minimum(in[1]));
    GOLDEN_API.put("pow", (a, in) -> in[0].pow(in[1]));
    GOLDEN_API.put("where", (a, in) -> Tensor.where(in[0], in[1], in[2]));
    GOLDEN_API.put(
        "sum", (a, in) -> a.has("dim") ? in[0].sum(a.get("dim").asInt(), keepDim(a)) : in[0].sum());
    GOLDEN_API.put(
        "mean",
        (a, in) -> a.has("dim") ? in[0].mean(a.get("dim").asInt(), keepDim(a)) : in[0].mean());
    GOLDEN_API.put(
        "max",
        (a, in) ->
            a.has("dim") ? in[0].max(a.get("dim").asInt(), keepDim(a)).values() : in[0].max());
    GOLDEN_API.put("logsumexp", (a, in) -> in[0].logsumexp(a.get("dim").asInt(), keepDim(a)));
    GOLDEN_API.put(
        "var",
        (a, in) ->
            a.has("dim")
                ? in[0].var(a.get("dim").asInt(), unbiased(a), keepDim(a))
                : in[0].var(unbiased(a)));
    GOLDEN_API.put(
        "std",
        (a, in) ->
            a.has("dim")
                ? in[0].std(a.get("dim").asInt(), unbiased(a), keepDim(a))
                : in[0].std(unbiased(a)));
    GOLDEN_API.put(
        "norm",
        (a, in) ->
            a.has("dim")
                ? in[0].norm(a.get("p").asDouble(), a.get("dim").asInt(), keepDim(a))
                : in[0].norm(a.get("p").asDouble()));
    GOLDEN_API.put(
        "prod",
        (a, in) -> a.has("dim") ? in[0].prod(a.get("dim").asInt(), keepDim(a)) : in[0].prod());
    GOLDEN_API.put(
        "transpose", (a, in) -> in[0].transpose(a.get("dim0").asInt(), a.get("dim1").asInt()));
    GOLDEN_API.put("permute", (a, in) -> in[0].permute(ints(a.get("dims"))));
    GOLDEN_API.put("reshape", (a, in) -> in[0].reshape(ints(a.get("shape"))));
    GOLDEN_API.put("expand", (a, in) -> in[0].expand(ints(a.get("shape"))));
    GOLDEN_API.put("unsqueeze", (a, in) -> in[0].unsqueeze(a.get("dim").asInt()));
    GOLDEN_API.put(
        "squeeze", (a, in) -> a.has("dim") ? in[0].squeeze(a.get("dim").asInt()) : in[0].squeeze());
    GOLDEN_API.put(
        "flatten",
        (a, in) -> in[0].flatten(a.path("start_dim").asInt(0), a.path("end_dim").asInt(-1)));
    GOLDEN_API.put("cat", (a, in) -> Tensor.cat(a.path("dim").asInt(0), in));
    GOLDEN_API.put("stack", (a, in) -> Tensor.stack(a.path("dim").asInt(0), in));
    GOLDEN_API.put(
        "narrow",
        (a, in) ->
            in[0].narrow(a.get("dim").asInt(), a.get("start").asInt(), a.get("length").asInt()));
    GOLDEN_API.put(
        "slice",
        (a, in) ->
            in[0].slice(
                a.get("dim").asInt(),
                a.get("start").asInt(),
                a.get("end").asInt(),
                a.path("step").asInt(1)));
    GOLDEN_API.put("select", (a, in) -> in[0].select(a.get("dim").asInt(), a.get("index").asInt()));
    GOLDEN_API.put("index_select", (a, in) -> in[0].indexSelect(a.get("dim").asInt(), in[1]));
    GOLDEN_API.put("gather", (a, in) -> in[0].gather(a.get("dim").asInt(), in[1]));
    GOLDEN_API.put("index", (a, in) -> in[0].index(indexList(a, in, 1)));
    GOLDEN_API.put(
        "index_put",
        (a, in) ->
            in[0].indexPut(indexList(a, in, 2), in[1], a.path("accumulate").asBoolean(false)));
    GOLDEN_API.put("masked_fill", (a, in) -> in[0].maskedFill(in[1], a.get("value").asDouble()));
    GOLDEN_API.put("mm", (a, in) -> in[0].mm(in[1]));
    GOLDEN_API.put("mv", (a, in) -> in[0].mv(in[1]));
    GOLDEN_API.put("dot", (a, in) -> in[0].dot(in[1]));
    GOLDEN_API.put("bmm", (a, in) -> in[0].bmm(in[1]));
    GOLDEN_API.put("matmul", (a, in) -> in[0].matmul(in[1]));
    GOLDEN_API.put("softmax", (a, in) -> in[0].softmax(a.get("dim").asInt()));
    GOLDEN_API.put("log_softmax", (a, in) -> in[0].logSoftmax(a.get("dim").asInt()));
    // nn primitives (internal.nn.NnOps)
    GOLDEN_API.put("linear", (a, in) -> NnOps.linear(in[0], in[1], in.length > 2 ? in[2] : null));
    GOLDEN_API.put("mse_loss", (a, in) -> NnOps.mseLoss(in[0], in[1], reduction(a)));
    GOLDEN_API.put("l1_loss", (a, in) -> NnOps.l1Loss(in[0], in[1], reduction(a)));
    GOLDEN_API.put(
        "smooth_l1_loss",
        (a, in) -> NnOps.smoothL1Loss(in[0], in[1], reduction(a), a.path("beta").asDouble(1.0)));
    GOLDEN_API.put(
        "cross_entropy",
        (a, in) ->
            NnOps.crossEntropy(
                in[0],
                in[1],
                null,
                reduction(a),
                a.path("ignore_index").asLong(-100),
                a.path("label_smoothing").asDouble(0)));
    GOLDEN_API.put(
        "nll_loss",
        (a, in) ->
            NnOps.nllLoss(in[0], in[1], null, reduction(a), a.path("ignore_index").asLong(-100)));
    GOLDEN_API.put(
        "binary_cross_entropy",
        (a, in) -> NnOps.binaryCrossEntropy(in[0], in[1], null, reduction(a)));
    GOLDEN_API.put(
        "binary_cross_entropy_with_logits",
        (a, in) -> NnOps.binaryCrossEntropyWithLogits(in[0], in[1], null, null, reduction(a)));
    GOLDEN_API.put(
        "layer_norm",
        (a, in) ->
            NnOps.layerNorm(
                in[0],
                ints(a.get("normalized_shape")),
                in[1],
                in[2],
                a.path("eps").asDouble(1e-5)));
    GOLDEN_API.put(
        "batch_norm",
        (a, in) ->
            NnOps.batchNorm(
                in[0],
                null,
                null,
                in[1],
                in[2],
                a.path("training").asBoolean(),
                0.1,
                a.path("eps").asDouble(1e-5)));
    GOLDEN_API.put("embedding", (a, in) -> NnOps.embedding(in[1], in[0]));
    GOLDEN_API.put(
        "conv2d",
        (a, in) ->
            NnOps.conv2d(
                in[0],
                in[1],
                in[2],
                pair(a, "stride", 1),
                pair(a, "padding", 0),
                pair(a, "dilation", 1),
                a.path("groups").asInt(1)));
    GOLDEN_API.put(
        "max_pool2d",
        (a, in) ->
            NnOps.maxPool2d(
                in[0],
                pair(a, "kernel_size", 1),
                poolStride(a),
                pair(a, "padding", 0),
                pair(a, "dilation", 1)));
    GOLDEN_API.put(
        "avg_pool2d",
        (a, in) ->
            NnOps.avgPool2d(
                in[0], pair(a, "kernel_size", 1), poolStride(a), pair(a, "padding", 0)));
  }

  /**
   * The index list of an index/index_put case: the inputs from {@code first} on, with nulls at args
   * "none".
   */
  private static Tensor[] indexList(JsonNode a, Tensor[] in, int first) {
    java.util.Set<Integer> nones = new java.util.HashSet<>();
    for (JsonNode k : a.path("none")) nones.add(k.asInt());
    Tensor[] out = new Tensor[nones.size() + in.length - first];
    for (int k = 0, next = first; k < out.length; k++)
      out[k] = nones.contains(k) ? null : in[next++];
    return out;
  }

  private static boolean keepDim(JsonNode a) {
    return a.path("keepdim").asBoolean(false);
  }

  private static boolean unbiased(JsonNode a) {
    return a.path("unbiased").asBoolean(true);
  }

  private static Reduction reduction(JsonNode a) {
    return Reduction.of(a.path("reduction").asText("mean"));
  }

  /** An int or [h, w] argument as a pair. */
  private static int[] pair(JsonNode a, String key, int dflt) {
    JsonNode v = a.get(key);
    if (v == null) return new int[] {dflt, dflt};
    return v.isArray()
        ? new int[] {v.get(0).asInt(), v.get(1).asInt()}
        : new int[] {v.asInt(), v.asInt()};
  }

  /** Pooling's stride defaults to its kernel size. */
  private static int[] poolStride(JsonNode a) {
    return a.has("stride") && !a.get("stride").isNull()
        ? pair(a, "stride", 1)
        : pair(a, "kernel_size", 1);
  }

  private static Double optDouble(JsonNode a, String key) {
    return a.has(key) && !a.get(key).isNull() ? a.get(key).asDouble() : null;
  }

  private static int[] ints(JsonNode list) {
    return Golden.shape(list);
  }
}
