package dev.autograd.nn.io;

import java.io.IOException;

/** A safetensors file that cannot be read or loaded; the message names the file, the key and the problem. */
public class SafetensorsException extends IOException {
  private static final long serialVersionUID = 1L;

  public SafetensorsException(String message) {
    super(message);
  }
}
