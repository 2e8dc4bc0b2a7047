package dev.autograd.samples;

/**
 * A sample cannot run (its data set is missing, ...): the launcher prints the one-line message,
 * which says what to do, and exits with status 1.
 */
public final class SampleFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SampleFailure(String message) {
    super(message);
  }
}
