package dev.autograd.core.kernels;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Choosing the kernels: once per JVM, whoever asks first, in the background or not. */
class KernelProviderTest {
  @Test
  void preparingAndAskingFromManyThreadsAtOnceGivesOneKernelSet() throws InterruptedException {
    int threads = 8;
    CountDownLatch go = new CountDownLatch(1);
    Kernels[] seen = new Kernels[threads];
    List<Thread> started = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      int slot = i;
      Thread t =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                KernelProvider.prepare();
                seen[slot] = KernelProvider.get();
                KernelProvider.prepare();
              });
      t.start();
      started.add(t);
    }
    go.countDown();
    for (Thread t : started) t.join(60_000);
    Kernels chosen = KernelProvider.get();
    for (Kernels k : seen) assertSame(chosen, k);
    boolean simd = Boolean.parseBoolean(System.getProperty("autograd.simd", "true"));
    assertTrue(
        chosen.name().startsWith(simd ? "vector" : "scalar"),
        "the tests run with jdk.incubator.vector, and one execution with -Dautograd.simd=false");
  }
}
