package dev.autograd.spark;

import dev.autograd.core.DType;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire format of {@link AllReduce#BARRIER}'s exchange: length-prefixed, big-endian, raw values.
 */
final class ShardMessages {
  private ShardMessages() {}

  /**
   * Writes a task's shards: their number, then per shard its partition, count, loss sum and
   * gradient.
   */
  static void write(DataOutputStream out, List<ShardResult> shards, DType dtype, int paramCount)
      throws IOException {
    ByteBuffer b =
        ByteBuffer.allocate(4 + shards.size() * (16 + paramCount * FlatVector.elementBytes(dtype)));
    b.putInt(shards.size());
    for (ShardResult s : shards) {
      b.putInt(s.partition).putInt(s.count).putDouble(s.lossSum);
      s.grad.writeTo(b);
    }
    out.writeInt(b.capacity());
    out.write(b.array());
    out.flush();
  }

  /** The bytes {@link #write} sends for {@code shards} shards, length prefix included. */
  static long frameBytes(int shards, DType dtype, int paramCount) {
    return 4 + 4 + shards * (16 + (long) paramCount * FlatVector.elementBytes(dtype));
  }

  /** Reads what {@link #write} wrote. */
  static List<ShardResult> read(DataInputStream in, DType dtype, int paramCount, int maxShards)
      throws IOException {
    ByteBuffer b =
        ByteBuffer.wrap(
            readFrame(
                in,
                4 + (long) maxShards * (16 + (long) paramCount * FlatVector.elementBytes(dtype))));
    int n = b.getInt();
    List<ShardResult> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int partition = b.getInt(), count = b.getInt();
      double lossSum = b.getDouble();
      out.add(
          new ShardResult(partition, count, lossSum, FlatVector.readFrom(b, dtype, paramCount)));
    }
    return out;
  }

  /** A step's sum: count, loss sum, gradient. */
  static byte[] encodeSum(StepSum s) {
    ByteBuffer b = ByteBuffer.allocate(12 + (int) s.grad.bytes());
    b.putInt(s.count).putDouble(s.lossSum);
    s.grad.writeTo(b);
    return b.array();
  }

  /** Reads a frame written with {@link #encodeSum}. */
  static StepSum readSum(DataInputStream in, DType dtype, int paramCount) throws IOException {
    ByteBuffer b =
        ByteBuffer.wrap(readFrame(in, 12 + (long) paramCount * FlatVector.elementBytes(dtype)));
    int count = b.getInt();
    double lossSum = b.getDouble();
    return new StepSum(count, lossSum, FlatVector.readFrom(b, dtype, paramCount));
  }

  /**
   * A frame of at most {@code maxBytes} (what the model's size allows), so a corrupt length cannot
   * allocate more.
   */
  private static byte[] readFrame(DataInputStream in, long maxBytes) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > maxBytes)
      throw new IOException(
          "malformed all-reduce frame of " + length + " bytes (at most " + maxBytes + " expected)");
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }
}
