package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autograd.core.testing.Golden;
import dev.autograd.core.testing.Golden.GoldenCase;
import dev.autograd.core.testing.GoldenRunner;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of ops.json (PyTorch 1.13, float64) against our ops, in FLOAT64 (~1e-9) and FLOAT32
 * (~1e-4): outputs, gradients and second-order gradients. An op without a mapping below fails.
 */
class GoldenOpsTest {
  /** ops.json op name + args -> our API. */
  private static final Map<String, BiFunction<JsonNode, Tensor[], Tensor>> OPS = new HashMap<>();

  private static void unary(String name, java.util.function.Function<Tensor, Tensor> f) {
    OPS.put(name, (a, in) -> f.apply(in[0]));
  }

  static {
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
    OPS.put("leaky_relu", (a, in) -> in[0].leakyRelu(a.get("negative_slope").asDouble()));
    OPS.put("clamp", (a, in) -> in[0].clamp(optDouble(a, "min"), optDouble(a, "max")));
    OPS.put("pow_scalar", (a, in) -> in[0].pow(a.get("exponent").asDouble()));
    OPS.put("add", (a, in) -> in[0].add(in[1]));
    OPS.put("sub", (a, in) -> in[0].sub(in[1]));
    OPS.put("mul", (a, in) -> in[0].mul(in[1]));
    OPS.put("div", (a, in) -> in[0].div(in[1]));
    OPS.put("maximum", (a, in) -> in[0].maximum(in[1]));
    OPS.put("minimum", (a, in) -> in[0].minimum(in[1]));
    OPS.put("pow", (a, in) -> in[0].pow(in[1]));
    OPS.put("where", (a, in) -> Tensor.where(in[0], in[1], in[2]));
    OPS.put("sum", (a, in) -> a.has("dim") ? in[0].sum(a.get("dim").asInt(), keepDim(a)) : in[0].sum());
    OPS.put("mean", (a, in) -> a.has("dim") ? in[0].mean(a.get("dim").asInt(), keepDim(a)) : in[0].mean());
    OPS.put("max", (a, in) -> a.has("dim") ? in[0].max(a.get("dim").asInt(), keepDim(a)).values() : in[0].max());
    OPS.put("logsumexp", (a, in) -> in[0].logsumexp(a.get("dim").asInt(), keepDim(a)));
    OPS.put("var", (a, in) -> a.has("dim")
        ? in[0].var(a.get("dim").asInt(), unbiased(a), keepDim(a)) : in[0].var(unbiased(a)));
    OPS.put("std", (a, in) -> a.has("dim")
        ? in[0].std(a.get("dim").asInt(), unbiased(a), keepDim(a)) : in[0].std(unbiased(a)));
    OPS.put("norm", (a, in) -> a.has("dim")
        ? in[0].norm(a.get("p").asDouble(), a.get("dim").asInt(), keepDim(a)) : in[0].norm(a.get("p").asDouble()));
    OPS.put("prod", (a, in) -> a.has("dim") ? in[0].prod(a.get("dim").asInt(), keepDim(a)) : in[0].prod());
    OPS.put("transpose", (a, in) -> in[0].transpose(a.get("dim0").asInt(), a.get("dim1").asInt()));
    OPS.put("permute", (a, in) -> in[0].permute(ints(a.get("dims"))));
    OPS.put("reshape", (a, in) -> in[0].reshape(ints(a.get("shape"))));
    OPS.put("expand", (a, in) -> in[0].expand(ints(a.get("shape"))));
    OPS.put("unsqueeze", (a, in) -> in[0].unsqueeze(a.get("dim").asInt()));
    OPS.put("squeeze", (a, in) -> a.has("dim") ? in[0].squeeze(a.get("dim").asInt()) : in[0].squeeze());
    OPS.put("flatten", (a, in) -> in[0].flatten(a.path("start_dim").asInt(0), a.path("end_dim").asInt(-1)));
    OPS.put("cat", (a, in) -> Tensor.cat(a.path("dim").asInt(0), in));
    OPS.put("stack", (a, in) -> Tensor.stack(a.path("dim").asInt(0), in));
    OPS.put("narrow", (a, in) -> in[0].narrow(a.get("dim").asInt(), a.get("start").asInt(), a.get("length").asInt()));
    OPS.put("slice", (a, in) ->
        in[0].slice(a.get("dim").asInt(), a.get("start").asInt(), a.get("end").asInt(), a.path("step").asInt(1)));
    OPS.put("select", (a, in) -> in[0].select(a.get("dim").asInt(), a.get("index").asInt()));
    OPS.put("index_select", (a, in) -> in[0].indexSelect(a.get("dim").asInt(), in[1]));
    OPS.put("gather", (a, in) -> in[0].gather(a.get("dim").asInt(), in[1]));
    OPS.put("masked_fill", (a, in) -> in[0].maskedFill(in[1], a.get("value").asDouble()));
    OPS.put("mm", (a, in) -> in[0].mm(in[1]));
    OPS.put("mv", (a, in) -> in[0].mv(in[1]));
    OPS.put("dot", (a, in) -> in[0].dot(in[1]));
    OPS.put("bmm", (a, in) -> in[0].bmm(in[1]));
    OPS.put("matmul", (a, in) -> in[0].matmul(in[1]));
    OPS.put("softmax", (a, in) -> in[0].softmax(a.get("dim").asInt()));
    OPS.put("log_softmax", (a, in) -> in[0].logSoftmax(a.get("dim").asInt()));
      // nn primitives (dev.autograd.core.NN)
    OPS.put("linear", (a, in) -> NN.linear(in[0], in[1], in.length > 2 ? in[2] : null));
    OPS.put("mse_loss", (a, in) -> NN.mseLoss(in[0], in[1], reduction(a)));
    OPS.put("l1_loss", (a, in) -> NN.l1Loss(in[0], in[1], reduction(a)));
    OPS.put("smooth_l1_loss", (a, in) -> NN.smoothL1Loss(in[0], in[1], reduction(a), a.path("beta").asDouble(1.0)));
    OPS.put("cross_entropy", (a, in) -> NN.crossEntropy(in[0], in[1], null, reduction(a), a.path("ignore_index").asLong(-100), a.path("label_smoothing").asDouble(0)));
    OPS.put("nll_loss", (a, in) -> NN.nllLoss(in[0], in[1], null, reduction(a), a.path("ignore_index").asLong(-100)));
    OPS.put("binary_cross_entropy", (a, in) -> NN.binaryCrossEntropy(in[0], in[1], null, reduction(a)));
    OPS.put("binary_cross_entropy_with_logits", (a, in) -> NN.binaryCrossEntropyWithLogits(in[0], in[1], null, null, reduction(a)));
    OPS.put("layer_norm", (a, in) -> NN.layerNorm(in[0], ints(a.get("normalized_shape")), in[1], in[2], a.path("eps").asDouble(1e-5)));
    OPS.put("batch_norm", (a, in) -> NN.batchNorm(in[0], null, null, in[1], in[2], a.path("training").asBoolean(), 0.1, a.path("eps").asDouble(1e-5)));
    OPS.put("embedding", (a, in) -> NN.embedding(in[1], in[0]));
    OPS.put("conv2d", (a, in) -> NN.conv2d(in[0], in[1], in[2], pair(a, "stride", 1), pair(a, "padding", 0), pair(a, "dilation", 1), a.path("groups").asInt(1)));
    OPS.put("max_pool2d", (a, in) -> NN.maxPool2d(in[0], pair(a, "kernel_size", 1), poolStride(a), pair(a, "padding", 0), pair(a, "dilation", 1)));
    OPS.put("avg_pool2d", (a, in) -> NN.avgPool2d(in[0], pair(a, "kernel_size", 1), poolStride(a), pair(a, "padding", 0)));
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
    return v.isArray() ? new int[] {v.get(0).asInt(), v.get(1).asInt()} : new int[] {v.asInt(), v.asInt()};
  }

  /** Pooling's stride defaults to its kernel size. */
  private static int[] poolStride(JsonNode a) {
    return a.has("stride") && !a.get("stride").isNull() ? pair(a, "stride", 1) : pair(a, "kernel_size", 1);
  }

  private static Double optDouble(JsonNode a, String key) {
    return a.has(key) && !a.get(key).isNull() ? a.get(key).asDouble() : null;
  }

  private static int[] ints(JsonNode list) {
    return Golden.shape(list);
  }

  static List<GoldenCase> cases() {
    return Golden.opCases();
  }

  private static void check(GoldenCase c, DType dtype) {
    BiFunction<JsonNode, Tensor[], Tensor> f = OPS.get(c.op);
    if (f == null) {
      fail("ops.json case '" + c.name + "': op '" + c.op + "' has no mapping to our API in GoldenOpsTest");
    }
    GoldenRunner.run(c, dtype, in -> f.apply(c.args, in));
  }

  @ParameterizedTest(name = "{0} float64")
  @MethodSource("cases")
  void matchesPyTorchInFloat64(GoldenCase c) {
    check(c, DType.FLOAT64);
  }

  @ParameterizedTest(name = "{0} float32")
  @MethodSource("cases")
  void matchesPyTorchInFloat32(GoldenCase c) {
    check(c, DType.FLOAT32);
  }
}
