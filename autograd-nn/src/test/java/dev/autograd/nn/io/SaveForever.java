package dev.autograd.nn.io;

import dev.autograd.core.Tensor;
import java.nio.file.Path;
import java.util.Map;

/**
 * Run by {@link SafetensorsCrashTest} in a JVM of its own: saves ever new values to one file until
 * killed.
 */
public final class SaveForever {
  private SaveForever() {}

  public static void main(String[] args) throws Exception {
    Path target = Path.of(args[0]);
    int n = Integer.parseInt(args[1]);
    for (int round = 2; ; round++) {
      Safetensors.save(Map.of("w", Tensor.full(new int[] {n}, round)), target, null);
    }
  }
}
