package dev.autograd.samples;

import java.io.PrintStream;

/**
 * A one-line progress bar for training loops: {@code epoch 2/5 [=====> ] 310/938 loss 0.4123 1520
 * samples/s} (the loss is the mean over the epoch so far), redrawn in place with {@code \r} on a
 * terminal. When the output is not a terminal ({@code System.console() == null}: a pipe, a file, a
 * test) it prints one plain line per epoch instead.
 */
public final class Progress {
  private static final int WIDTH = 24;
  private final PrintStream out;
  private final boolean terminal;
  private final int epochs, steps;
  private long epochStart, lastDraw;
  private int samples, count;
  private double lossSum;

  /** A bar for {@code epochs} epochs of {@code steps} steps each, writing to System.out. */
  public Progress(int epochs, int steps) {
    this(System.out, System.console() != null, epochs, steps);
  }

  Progress(PrintStream out, boolean terminal, int epochs, int steps) {
    this.out = out;
    this.terminal = terminal;
    this.epochs = epochs;
    this.steps = steps;
  }

  /** Call at the start of each epoch (1-based). */
  public void startEpoch() {
    epochStart = System.nanoTime();
    samples = 0;
    count = 0;
    lossSum = 0;
  }

  /**
   * Reports step {@code step} (1-based) of epoch {@code epoch}: {@code batch} samples, loss {@code
   * loss}.
   */
  public void step(int epoch, int step, int batch, double loss) {
    samples += batch;
    lossSum += loss;
    double mean = lossSum / ++count;
    long now = System.nanoTime();
    boolean last = step == steps;
    if (terminal && (last || now - lastDraw > 100_000_000L)) {
      lastDraw = now;
      int done = (int) ((long) WIDTH * step / steps);
      String bar = "=".repeat(done) + (done < WIDTH ? ">" + " ".repeat(WIDTH - done - 1) : "");
      out.printf(
          "\repoch %d/%d [%s] %d/%d loss %.4f %.0f samples/s ",
          epoch, epochs, bar, step, steps, mean, rate(now));
      if (last) out.println();
      out.flush();
    } else if (!terminal && last) {
      out.printf(
          "epoch %d/%d %d steps loss %.4f %.0f samples/s%n", epoch, epochs, steps, mean, rate(now));
    }
  }

  private double rate(long now) {
    return samples / Math.max(1e-9, (now - epochStart) / 1e9);
  }
}
