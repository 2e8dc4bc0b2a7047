package dev.autograd.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.autograd.core.kernels.Parallel;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/** A task's kernels split over the cores Spark gave it (spark.task.cpus), not the whole JVM's. */
class TaskThreadsTest {
  @Test
  void tasksComputeOnTheirOwnCpusAndTheDriverOnAll() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext());
    List<Integer> inTasks =
        jsc.parallelize(Arrays.asList(1, 2, 3, 4), 4)
            .map(x -> TaskThreads.run(Parallel::threads))
            .collect();
    assertEquals(Arrays.asList(1, 1, 1, 1), inTasks, "spark.task.cpus is 1 by default");
    // after the task the thread's limit is gone; off a task nothing is limited
    assertEquals(
        Arrays.asList(Parallel.THREADS, Parallel.THREADS),
        jsc.parallelize(Arrays.asList(1, 2), 2).map(x -> Parallel.threads()).collect());
    assertEquals(Parallel.THREADS, (int) TaskThreads.run(Parallel::threads));
  }
}
