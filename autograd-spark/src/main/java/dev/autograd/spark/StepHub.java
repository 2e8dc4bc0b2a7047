package dev.autograd.spark;

import dev.autograd.core.DType;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * The driver's end of {@link AllReduce#BARRIER}'s per-step all-reduce on a cluster (local mode uses
 * {@link LocalExchange}): a TCP server the barrier tasks connect to once per stage attempt. Each
 * step every task sends its shards' results; once all tasks have sent, the hub adds every shard in
 * partition order and sends the same sum to every task, which applies it with its own optimizer.
 * (Spark's {@code BarrierTaskContext.allGather} would do the exchange, but it polls for its reply
 * once a second: ~1 s per step.) A task that fails ends its attempt: the hub drops that attempt's
 * connections and waits for the retry's.
 */
final class StepHub implements AutoCloseable {
  private final ServerSocket server;
  private final Thread thread;
  private final int tasks, steps, partitions, paramCount;
  private final DType dtype;
  private volatile boolean closed;

  /** Bytes of all-reduce frames received from and sent to the tasks (all attempts). */
  private final java.util.concurrent.atomic.AtomicLong
      bytesIn = new java.util.concurrent.atomic.AtomicLong(),
      bytesOut = new java.util.concurrent.atomic.AtomicLong();

  /**
   * Listens on an ephemeral port of every interface.
   *
   * @param tasks the barrier stage's task count
   * @param steps the steps of this stage
   */
  StepHub(int tasks, int steps, int partitions, DType dtype, int paramCount) throws IOException {
    this.tasks = tasks;
    this.steps = steps;
    this.partitions = partitions;
    this.dtype = dtype;
    this.paramCount = paramCount;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(0));
    this.thread = new Thread(this::serve, "autograd-spark-step-hub");
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Serves attempts until one completes all steps or the hub is closed. */
  private void serve() {
    while (!closed) {
      List<Socket> conns = new ArrayList<>();
      try {
        Socket[] byTask = new Socket[tasks];
        DataInputStream[] inputs = new DataInputStream[tasks];
        int attempt = -1, joined = 0;
        while (joined < tasks) {
          Socket s = server.accept();
          conns.add(s);
          s.setTcpNoDelay(true);
          // this stream stays the connection's reader: a second buffer would lose what the first
          // read ahead
          DataInputStream in =
              new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
          int a = in.readInt(), task = in.readInt();
          if (a > attempt) {
            // a newer attempt: the older one failed, drop its connections
            for (Socket old : byTask) if (old != null) old.close();
            byTask = new Socket[tasks];
            inputs = new DataInputStream[tasks];
            attempt = a;
            joined = 0;
          }
          if (a < attempt || task < 0 || task >= tasks || byTask[task] != null) {
            s.close();
            continue;
          }
          byTask[task] = s;
          inputs[task] = in;
          joined++;
        }
        if (runSteps(byTask, inputs)) return;
      } catch (IOException | RuntimeException e) {
        // a task died mid-stage (Spark reruns the stage) or the hub was closed
      } finally {
        for (Socket s : conns) {
          try {
            s.close();
          } catch (IOException ignored) {
            // already closed
          }
        }
      }
    }
  }

  /** Runs all steps with one attempt's connections; true when they completed. */
  private boolean runSteps(Socket[] byTask, DataInputStream[] in) throws IOException {
    DataOutputStream[] out = new DataOutputStream[tasks];
    for (int t = 0; t < tasks; t++) {
      out[t] = new DataOutputStream(new BufferedOutputStream(byTask[t].getOutputStream(), 1 << 16));
    }
    for (int step = 0; step < steps; step++) {
      List<ShardResult> shards = new ArrayList<>(partitions);
      for (int t = 0; t < tasks; t++) {
        List<ShardResult> got = ShardMessages.read(in[t], dtype, paramCount, partitions);
        shards.addAll(got);
        bytesIn.addAndGet(ShardMessages.frameBytes(got.size(), dtype, paramCount));
      }
      if (shards.size() != partitions)
        throw new IOException(
            "step " + step + ": " + shards.size() + " shards for " + partitions + " partitions");
      StepSum sum = GradientReducer.sumInOrder(shards);
      byte[] reply = ShardMessages.encodeSum(sum);
      for (int t = 0; t < tasks; t++) {
        out[t].writeInt(reply.length);
        out[t].write(reply);
        out[t].flush();
        bytesOut.addAndGet(4L + reply.length);
      }
    }
    return true;
  }

  /** Bytes the hub received from the tasks: per step P x (16 + values) + 8 x tasks. */
  long bytesIn() {
    return bytesIn.get();
  }

  /** Bytes the hub sent to the tasks: per step tasks x (16 + values). */
  long bytesOut() {
    return bytesOut.get();
  }

  /** Stops serving and closes every connection. */
  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    thread.interrupt();
  }
}
