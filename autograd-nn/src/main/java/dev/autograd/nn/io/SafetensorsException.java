package dev.autograd.nn.io;

import java.io.IOException;

/**
 * A safetensors file that cannot be read, written or loaded into a module. The message names the
 * file, the key and the problem; it is cut at {@link #MAX_MESSAGE_CHARS} characters, whatever the
 * file holds.
 */
public class SafetensorsException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The longest message this exception carries. */
  public static final int MAX_MESSAGE_CHARS = 4096;

  /**
   * A safetensors file that cannot be read or does not match the module, with a message saying
   * what.
   */
  public SafetensorsException(String message) {
    super(cut(message));
  }

  /** As {@link #SafetensorsException(String)}, with the underlying I/O error. */
  public SafetensorsException(String message, Throwable cause) {
    super(cut(message), cause);
  }

  private static String cut(String m) {
    if (m == null || m.length() <= MAX_MESSAGE_CHARS) return m;
    String tail = "... (message cut, " + m.length() + " characters)";
    return m.substring(0, MAX_MESSAGE_CHARS - tail.length()) + tail;
  }
}
