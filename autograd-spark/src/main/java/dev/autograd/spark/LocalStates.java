package dev.autograd.spark;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * In local mode ({@link LocalExchange}), the replica states a barrier stage starts from and ends
 * with, handed over by reference: the driver's state to the tasks instead of a broadcast, task 0's
 * end state back instead of through the result shuffle. Both would otherwise serialize model and
 * optimizer state (3 x the weights for Adam) once per stage. Also task 0's result of every step as
 * it completes, so the driver prints progress while a stage that spans epochs runs.
 */
final class LocalStates {
  private LocalStates() {}

  private static final ConcurrentHashMap<String, ReplicaState> STATES = new ConcurrentHashMap<>();

  private static final ConcurrentHashMap<String, LinkedBlockingQueue<StepReport>> REPORTS =
      new ConcurrentHashMap<>();

  /** One step's sample count, loss sum and wall time (task 0's), for the driver's progress. */
  record StepReport(int step, int count, double lossSum, double seconds) {}

  /** The driver: task 0 of run {@code runId} reports its steps from now on. */
  static void openReports(String runId) {
    REPORTS.putIfAbsent(runId, new LinkedBlockingQueue<>());
  }

  /** Task 0: step {@code step} is done (dropped when the driver does not listen). */
  static void report(String runId, int step, int count, double lossSum, double seconds) {
    LinkedBlockingQueue<StepReport> q = REPORTS.get(runId);
    if (q != null) q.add(new StepReport(step, count, lossSum, seconds));
  }

  /** The driver: the next step report of run {@code runId}, or null after {@code millis} ms. */
  static StepReport nextReport(String runId, long millis) throws InterruptedException {
    LinkedBlockingQueue<StepReport> q = REPORTS.get(runId);
    return q == null ? null : q.poll(millis, TimeUnit.MILLISECONDS);
  }

  private static String startKey(String runId, int from) {
    return runId + "/" + from + "/start";
  }

  private static String endKey(String runId, int from, int attempt) {
    return runId + "/" + from + "/end/" + attempt;
  }

  /** The driver: the state the stage starting at step {@code from} loads. */
  static void putStart(String runId, int from, ReplicaState s) {
    STATES.put(startKey(runId, from), s);
  }

  /** A task: the state its stage starts from (read only: every task of the stage shares it). */
  static ReplicaState start(String runId, int from) {
    ReplicaState s = STATES.get(startKey(runId, from));
    if (s == null)
      throw new IllegalStateException(
          "no start state for steps from "
              + from
              + " in this JVM: the local all-reduce runs only in Spark's local mode");
    return s;
  }

  /** Task 0: the state its attempt of the stage ended with. */
  static void putEnd(String runId, int from, int attempt, ReplicaState s) {
    STATES.put(endKey(runId, from, attempt), s);
  }

  /** The driver: the end state of the attempt that succeeded, removed. */
  static ReplicaState takeEnd(String runId, int from, int attempt) {
    ReplicaState s = STATES.remove(endKey(runId, from, attempt));
    if (s == null)
      throw new IllegalStateException(
          "barrier stage from step " + from + ", attempt " + attempt + " left no end state");
    return s;
  }

  /** Drops run {@code runId}'s states (failed attempts leave theirs). */
  static void release(String runId) {
    STATES.keySet().removeIf(k -> k.startsWith(runId + "/"));
  }

  /** Drops run {@code runId}'s step reports (after training). */
  static void closeReports(String runId) {
    REPORTS.remove(runId);
  }

  /** States and report queues held in this JVM (tests check that training leaves none behind). */
  static int count() {
    return STATES.size() + REPORTS.size();
  }
}
