package dev.autograd.spark;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import org.apache.spark.TaskContext;

/**
 * A socket's input (with a read timeout set) whose reads wait until data arrives, checking every
 * timeout whether Spark killed the task: a blocked socket read ignores thread interrupts, so a
 * barrier task waiting for the hub would otherwise outlive its killed stage. A timeout consumes
 * nothing, so the stream stays consistent.
 */
final class KillableInput extends FilterInputStream {
  private final TaskContext ctx;

  KillableInput(InputStream in, TaskContext ctx) {
    super(in);
    this.ctx = ctx;
  }

  @Override
  public int read() throws IOException {
    while (true) {
      try {
        return super.read();
      } catch (SocketTimeoutException e) {
        ctx.killTaskIfInterrupted();
      }
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    while (true) {
      try {
        return super.read(b, off, len);
      } catch (SocketTimeoutException e) {
        ctx.killTaskIfInterrupted();
      }
    }
  }
}
