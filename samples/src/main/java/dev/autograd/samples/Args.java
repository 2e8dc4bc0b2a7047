package dev.autograd.samples;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Sample arguments of the form {@code --name value} (e.g. {@code --epochs 2 --plot out.png}). */
public final class Args {
  private final Map<String, String> values = new HashMap<>();

  /** Parses {@code args}; an argument that is not {@code --name value} is an error. */
  public Args(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected arguments of the form --name value, got '" + args[i] + "'");
      }
      values.put(args[i].substring(2), args[++i]);
    }
  }

  /** An integer argument, or {@code fallback}. */
  public int integer(String name, int fallback) {
    String v = values.get(name);
    return v == null ? fallback : Integer.parseInt(v);
  }

  /** A path argument, or {@code fallback}. */
  public Path path(String name, Path fallback) {
    String v = values.get(name);
    return v == null ? fallback : Path.of(v);
  }
}
