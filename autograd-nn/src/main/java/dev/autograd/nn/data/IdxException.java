package dev.autograd.nn.data;

import java.io.IOException;

/** An IDX file that cannot be read; the message starts with the file's name and says what is wrong. */
public class IdxException extends IOException {
  private static final long serialVersionUID = 1L;

  public IdxException(String message) {
    super(message);
  }

  public IdxException(String message, Throwable cause) {
    super(message, cause);
  }
}
