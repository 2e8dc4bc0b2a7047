package dev.autograd.nn.data;

import java.io.IOException;

/**
 * An IDX file that cannot be read; the message starts with the file's name and says what is wrong.
 */
public class IdxException extends IOException {
  private static final long serialVersionUID = 1L;

  /** An IDX file that cannot be read, with a message saying what is wrong. */
  public IdxException(String message) {
    super(message);
  }

  /** An IDX file that cannot be read, with a message and the underlying I/O error. */
  public IdxException(String message, Throwable cause) {
    super(message, cause);
  }
}
