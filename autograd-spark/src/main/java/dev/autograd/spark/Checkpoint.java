package dev.autograd.spark;

import dev.autograd.core.Tensor;
import dev.autograd.nn.Module;
import dev.autograd.nn.io.Safetensors;
import dev.autograd.nn.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A training checkpoint: model state, optimizer state, the step reached and the history so far, in
 * one safetensors file ({@code step-000000042.safetensors}) under any Hadoop-supported directory
 * (file:, hdfs:, s3a:, ...). Written to a hidden temporary name and renamed, so a crash never
 * leaves a half-written checkpoint under the final name.
 */
final class Checkpoint {
  private Checkpoint() {}

  static final String FORMAT = "autograd-spark-checkpoint-1";
  private static final String PREFIX = "step-", SUFFIX = ".safetensors";

  /** What a checkpoint restores besides the weights. */
  static final class Restored {
    final int step;
    final TrainingHistory history;

    Restored(int step, TrainingHistory history) {
      this.step = step;
      this.history = history;
    }
  }

  static Path fileFor(Path dir, int step) {
    return new Path(dir, String.format("%s%09d%s", PREFIX, step, SUFFIX));
  }

  /** The checkpoint with the highest step in {@code dir}, or null when there is none. */
  static Path latest(Path dir, Configuration conf) throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    if (!fs.exists(dir)) return null;
    Path best = null;
    for (FileStatus s : fs.listStatus(dir)) {
      String name = s.getPath().getName();
      if (name.startsWith(PREFIX)
          && name.endsWith(SUFFIX)
          && (best == null || name.compareTo(best.getName()) > 0)) best = s.getPath();
    }
    return best;
  }

  static void save(
      Path dir,
      Configuration conf,
      int step,
      Module model,
      Optimizer optimizer,
      TrainingHistory history,
      Map<String, String> planInfo,
      int keep)
      throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    model.stateDict().forEach((k, v) -> tensors.put("model/" + k, v));
    Map<String, String> meta = new LinkedHashMap<>(planInfo);
    meta.put("format", FORMAT);
    meta.put("step", Integer.toString(step));
    writeOptimizer(optimizer.stateDict(), tensors, meta);
    meta.put("history.steps", join(history.stepLosses()));
    meta.put("history.epochs", join(history.epochLosses()));
    history.metrics().forEach((k, v) -> meta.put("history.metric." + k, join(v)));

    java.nio.file.Path local = Files.createTempFile("autograd-spark-checkpoint", SUFFIX);
    FileSystem fs = dir.getFileSystem(conf);
    Path target = fileFor(dir, step), tmp = new Path(dir, "._" + target.getName() + ".tmp");
    try {
      Safetensors.save(tensors, local, meta);
      fs.mkdirs(dir);
      fs.copyFromLocalFile(false, true, new Path(local.toUri()), tmp);
      fs.delete(target, false);
      if (!fs.rename(tmp, target))
        throw new IOException("could not rename " + tmp + " to " + target);
    } finally {
      Files.deleteIfExists(local);
      fs.delete(tmp, false);
    }
    prune(dir, fs, keep);
  }

  /** Keeps the newest {@code keep} checkpoints. */
  private static void prune(Path dir, FileSystem fs, int keep) throws IOException {
    List<String> names = new ArrayList<>();
    for (FileStatus s : fs.listStatus(dir)) {
      String n = s.getPath().getName();
      if (n.startsWith(PREFIX) && n.endsWith(SUFFIX)) names.add(n);
    }
    names.sort(null);
    for (int i = 0; i < names.size() - keep; i++) fs.delete(new Path(dir, names.get(i)), false);
  }

  /** Loads {@code file} into the model and optimizer; checks it was written for the same plan. */
  static Restored load(
      Path file,
      Configuration conf,
      Module model,
      Optimizer optimizer,
      Map<String, String> planInfo)
      throws IOException {
    java.nio.file.Path local = Files.createTempFile("autograd-spark-checkpoint", SUFFIX);
    try {
      FileSystem fs = file.getFileSystem(conf);
      if (!fs.exists(file)) throw new IOException("checkpoint " + file + " does not exist");
      fs.copyToLocalFile(false, file, new Path(local.toUri()), true);
      Map<String, String> meta = Safetensors.metadata(local);
      if (!FORMAT.equals(meta.get("format")))
        throw new IOException(
            file + " is not an autograd-spark checkpoint (format " + meta.get("format") + ")");
      for (Map.Entry<String, String> e : planInfo.entrySet()) {
        if (!e.getValue().equals(meta.get(e.getKey()))) {
          throw new IllegalArgumentException(
              "checkpoint "
                  + file
                  + " was written with "
                  + e.getKey()
                  + "="
                  + meta.get(e.getKey())
                  + " but this run has "
                  + e.getKey()
                  + "="
                  + e.getValue()
                  + "; resume with the same data, partitions, batch size and seed, or start without resuming");
        }
      }
      Map<String, Tensor> all = Safetensors.load(local), state = new LinkedHashMap<>();
      all.forEach(
          (k, v) -> {
            if (k.startsWith("model/")) state.put(k.substring("model/".length()), v);
          });
      model.loadStateDict(state, true);
      optimizer.loadStateDict(readOptimizer(optimizer, all, meta));
      TrainingHistory h = new TrainingHistory();
      for (double v : split(meta.get("history.steps"))) h.step(v);
      for (double v : split(meta.get("history.epochs"))) h.epoch(v);
      meta.forEach(
          (k, v) -> {
            if (k.startsWith("history.metric."))
              for (double x : split(v)) h.metric(k.substring("history.metric.".length()), x);
          });
      return new Restored(Integer.parseInt(meta.get("step")), h);
    } finally {
      Files.deleteIfExists(local);
    }
  }

  @SuppressWarnings("unchecked")
  static void writeOptimizer(
      Map<String, Object> dict, Map<String, Tensor> tensors, Map<String, String> meta) {
    List<Map<String, Object>> groups = (List<Map<String, Object>>) dict.get("param_groups");
    for (int g = 0; g < groups.size(); g++) {
      for (Map.Entry<String, Object> e : groups.get(g).entrySet()) {
        if (!e.getKey().equals("params"))
          meta.put("optimizer.group." + g + "." + e.getKey(), scalar(e.getValue(), e.getKey()));
      }
    }
    Map<Integer, Map<String, Object>> state = (Map<Integer, Map<String, Object>>) dict.get("state");
    for (Map.Entry<Integer, Map<String, Object>> s : state.entrySet()) {
      for (Map.Entry<String, Object> e : s.getValue().entrySet()) {
        String key = s.getKey() + "." + e.getKey();
        if (e.getValue() instanceof Tensor) tensors.put("optimizer/" + key, (Tensor) e.getValue());
        else meta.put("optimizer.state." + key, scalar(e.getValue(), e.getKey()));
      }
    }
  }

  static Map<String, Object> readOptimizer(
      Optimizer optimizer, Map<String, Tensor> tensors, Map<String, String> meta) {
    List<Map<String, Object>> groups = new ArrayList<>();
    int index = 0;
    for (int g = 0; g < optimizer.paramGroups().size(); g++) {
      Map<String, Object> opts = new LinkedHashMap<>();
      String prefix = "optimizer.group." + g + ".";
      meta.forEach(
          (k, v) -> {
            if (k.startsWith(prefix)) opts.put(k.substring(prefix.length()), parse(v));
          });
      List<Integer> ids = new ArrayList<>();
      for (int i = 0; i < optimizer.paramGroups().get(g).params().size(); i++) ids.add(index++);
      opts.put("params", ids);
      groups.add(opts);
    }
    Map<Integer, Map<String, Object>> state = new TreeMap<>();
    tensors.forEach(
        (k, v) -> {
          if (k.startsWith("optimizer/")) put(state, k.substring("optimizer/".length()), v);
        });
    meta.forEach(
        (k, v) -> {
          if (k.startsWith("optimizer.state."))
            put(state, k.substring("optimizer.state.".length()), parse(v));
        });
    Map<String, Object> dict = new LinkedHashMap<>();
    dict.put("state", state);
    dict.put("param_groups", groups);
    return dict;
  }

  private static void put(
      Map<Integer, Map<String, Object>> state, String indexDotKey, Object value) {
    int dot = indexDotKey.indexOf('.');
    state
        .computeIfAbsent(
            Integer.parseInt(indexDotKey.substring(0, dot)), k -> new LinkedHashMap<>())
        .put(indexDotKey.substring(dot + 1), value);
  }

  // typed scalars: d: double, i: int, l: long, b: boolean (Double.toString round-trips exactly)
  private static String scalar(Object v, String key) {
    if (v instanceof Double || v instanceof Float) return "d:" + ((Number) v).doubleValue();
    if (v instanceof Integer) return "i:" + v;
    if (v instanceof Long) return "l:" + v;
    if (v instanceof Boolean) return "b:" + v;
    throw new IllegalArgumentException(
        "optimizer value '"
            + key
            + "' of type "
            + (v == null ? "null" : v.getClass().getName())
            + " cannot be checkpointed");
  }

  private static Object parse(String s) {
    String v = s.substring(2);
    switch (s.charAt(0)) {
      case 'd':
        return Double.parseDouble(v);
      case 'i':
        return Integer.parseInt(v);
      case 'l':
        return Long.parseLong(v);
      case 'b':
        return Boolean.parseBoolean(v);
      default:
        throw new IllegalArgumentException("malformed checkpoint value " + s);
    }
  }

  private static String join(List<Double> values) {
    StringBuilder sb = new StringBuilder();
    for (double v : values) sb.append(sb.length() == 0 ? "" : ",").append(v);
    return sb.toString();
  }

  private static double[] split(String s) {
    if (s == null || s.isEmpty()) return new double[0];
    return Arrays.stream(s.split(",")).mapToDouble(Double::parseDouble).toArray();
  }
}
