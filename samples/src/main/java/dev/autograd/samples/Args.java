package dev.autograd.samples;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A sample's arguments, {@code --name value} pairs (e.g. {@code --epochs 2 --plot out.png}). Bad
 * input throws {@link UsageException} with a one-line message that the launcher prints.
 */
public final class Args {
  /** A malformed argument; the launcher prints the message and exits with status 2. */
  public static final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
      super(message);
    }
  }

  private final Map<String, String> values = new HashMap<>();

  /** Parses {@code args}; an argument that is not {@code --name value} is an error. */
  public Args(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || a.length() == 2)
        throw new UsageException("expected an option such as --epochs 3, got '" + a + "'");
      if (i + 1 >= args.length || args[i + 1].startsWith("--"))
        throw new UsageException(a + " needs a value");
      if (values.put(a.substring(2), args[++i]) != null)
        throw new UsageException(a + " is given twice");
    }
  }

  /** The option names given, without their {@code --}. */
  public Set<String> names() {
    return values.keySet();
  }

  /** A whole-number option of at least 1, or {@code fallback} when it is absent. */
  public int positive(String name, int fallback) {
    String v = values.get(name);
    if (v == null) return fallback;
    int n;
    try {
      n = Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " expects a whole number, got '" + v + "'");
    }
    if (n < 1) throw new UsageException("--" + name + " must be at least 1, got " + n);
    return n;
  }

  /** A path option, or {@code fallback} when it is absent. */
  public Path path(String name, Path fallback) {
    String v = values.get(name);
    if (v == null) return fallback;
    if (v.isBlank()) throw new UsageException("--" + name + " expects a path, got an empty string");
    return Path.of(v);
  }
}
