package dev.autograd.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The local SparkSession the tests share (one per JVM, as Spark allows one active context): reused
 * while the wanted thread count stays the same, restarted when a test needs another. Every session
 * allows 4 attempts per task ({@code local[N,4]}), so injected failures are retried.
 */
final class TestSpark {
  private TestSpark() {}

  private static SparkSession current;
  private static int currentThreads;

  static synchronized SparkSession session(int threads) {
    if (current != null && currentThreads == threads) return current;
    if (current != null) current.stop();
    current =
        SparkSession.builder()
            .master("local[" + threads + ",4]")
            .appName("autograd-spark-tests")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "4")
            .getOrCreate();
    currentThreads = threads;
    return current;
  }

  /** The shared session with two task threads. */
  static SparkSession session() {
    return session(2);
  }
}
