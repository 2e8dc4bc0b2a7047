package dev.autograd.core;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autograd.core.testing.Golden;
import dev.autograd.core.testing.Golden.GoldenCase;
import dev.autograd.core.testing.GoldenRunner;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of ops.json (PyTorch 1.13, float64) against our ops, in FLOAT64 (~1e-9) and FLOAT32
 * (~1e-4): outputs, gradients and second-order gradients, through {@link OpCases#GOLDEN_API} (an op
 * without a mapping fails).
 */
class GoldenOpsTest {
  static List<GoldenCase> cases() {
    return Golden.opCases();
  }

  private static void check(GoldenCase c, DType dtype) {
    BiFunction<JsonNode, Tensor[], Tensor> f = OpCases.GOLDEN_API.get(c.op);
    if (f == null) {
      fail(
          "ops.json case '"
              + c.name
              + "': op '"
              + c.op
              + "' has no mapping to our API in OpCases.GOLDEN_API");
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
