package dev.autograd.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autograd.core.DType;
import dev.autograd.core.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Reads the PyTorch golden files (copied from ../shared/golden into test resources). */
public final class Golden {
  private Golden() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The root node of {@code golden/<file>}. */
  public static JsonNode read(String file) {
    try (InputStream in = Golden.class.getResourceAsStream("/golden/" + file)) {
      if (in == null) throw new IllegalStateException("missing test resource golden/" + file);
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Every case of ops.json (from ../shared/golden) and of ops-extra.json (ops added later, made by
   * scripts/golden/ops_extra.py with real PyTorch in the same format) and of indexing.json
   * (advanced indexing, scripts/golden/indexing.py).
   */
  public static List<GoldenCase> opCases() {
    List<GoldenCase> out = new ArrayList<>();
    for (String file : new String[] {"ops.json", "ops-extra.json", "indexing.json"}) {
      for (JsonNode c : read(file).get("cases")) out.add(new GoldenCase(c));
    }
    return out;
  }

  /** Every case of {@code golden/<file>} (ops.json's format). */
  public static List<GoldenCase> cases(String file) {
    List<GoldenCase> out = new ArrayList<>();
    for (JsonNode c : read(file).get("cases")) out.add(new GoldenCase(c));
    return out;
  }

  /** A {shape, data} node as a tensor: float64 data becomes {@code floatType}. */
  public static Tensor tensor(JsonNode node, DType floatType) {
    int[] shape = shape(node.get("shape"));
    JsonNode data = node.get("data");
    String dtype = node.has("dtype") ? node.get("dtype").asText() : "float64";
    int n = data.size();
    switch (dtype) {
      case "int64":
        {
          long[] v = new long[n];
          for (int i = 0; i < n; i++) v[i] = data.get(i).asLong();
          return shape.length == 0 ? Tensor.scalar(v[0], DType.INT64) : Tensor.of(v, shape);
        }
      case "bool":
        {
          boolean[] v = new boolean[n];
          for (int i = 0; i < n; i++) v[i] = data.get(i).asBoolean();
          return shape.length == 0 ? Tensor.scalar(v[0] ? 1 : 0, DType.BOOL) : Tensor.of(v, shape);
        }
      default:
        {
          double[] v = new double[n];
          for (int i = 0; i < n; i++) v[i] = data.get(i).asDouble();
          Tensor t = shape.length == 0 ? Tensor.scalar(v[0], DType.FLOAT64) : Tensor.of(v, shape);
          return t.to(floatType);
        }
    }
  }

  public static int[] shape(JsonNode node) {
    int[] s = new int[node.size()];
    for (int i = 0; i < s.length; i++) s[i] = node.get(i).asInt();
    return s;
  }

  public static double[] doubles(JsonNode data) {
    double[] v = new double[data.size()];
    for (int i = 0; i < v.length; i++) v[i] = data.get(i).asDouble();
    return v;
  }

  /** One case of ops.json: its op, keyword arguments, inputs and expected values. */
  public static final class GoldenCase {
    public final String name;
    public final String op;
    public final JsonNode args;
    public final JsonNode json;

    GoldenCase(JsonNode json) {
      this.json = json;
      this.name = json.get("name").asText();
      this.op = json.get("op").asText();
      this.args = json.has("args") ? json.get("args") : JSON.createObjectNode();
    }

    /** The inputs in {@code floatType}; float inputs require grad. */
    public Tensor[] inputs(DType floatType) {
      JsonNode ins = json.get("inputs");
      Tensor[] out = new Tensor[ins.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = tensor(ins.get(i), floatType);
        if (out[i].dtype().isFloatingPoint()) out[i].requiresGrad_();
      }
      return out;
    }

    public boolean hasSecondOrder() {
      return json.has("second_order");
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
