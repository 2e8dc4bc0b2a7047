package dev.autograd.spark;

import java.util.concurrent.ConcurrentHashMap;

/**
 * In local mode ({@link LocalExchange}), the replica states a barrier stage starts from and ends
 * with, handed over by reference: the driver's state to the tasks instead of a broadcast, task 0's
 * end state back instead of through the result shuffle. Both would otherwise serialize model and
 * optimizer state (3 x the weights for Adam) once per stage.
 */
final class LocalStates {
  private LocalStates() {}

  private static final ConcurrentHashMap<String, ReplicaState> STATES = new ConcurrentHashMap<>();

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

  /** States held in this JVM (tests check that training leaves none behind). */
  static int count() {
    return STATES.size();
  }
}
