package dev.autograd.spark;

import dev.autograd.core.kernels.Parallel;
import java.util.function.Supplier;
import org.apache.spark.TaskContext;

/**
 * Runs a Spark task's tensor work on the cores Spark gave the task: {@code spark.task.cpus} (1
 * unless configured) kernel threads. The executor (in local mode the driver's JVM) runs one task
 * per core at once; left alone, each task's large products would split over every core of the JVM's
 * kernel pool and wait on the other tasks' helpers (Note [threads per caller] in Parallel).
 */
final class TaskThreads {
  private TaskThreads() {}

  /** {@code body}'s result, its kernels split into at most the task's cpus (all, off a task). */
  static <T> T run(Supplier<T> body) {
    TaskContext ctx = TaskContext.get();
    return ctx == null ? body.get() : Parallel.withThreads(Math.max(1, ctx.cpus()), body);
  }
}
