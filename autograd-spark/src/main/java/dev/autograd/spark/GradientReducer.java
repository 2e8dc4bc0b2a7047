package dev.autograd.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * Runs one step's tasks and all-reduces their gradients ({@link AllReduce}), in partition order.
 */
final class GradientReducer {
  private GradientReducer() {}

  static StepSum step(
      AllReduce how,
      JavaRDD<PartitionData> data,
      ShardTask task,
      int epoch,
      int step,
      Broadcast<FlatVector> weights) {
    return how == AllReduce.DRIVER
        ? toDriver(data, task, epoch, step, weights)
        : reduceScatter(data, task, epoch, step, weights);
  }

  private static ShardResult runShard(
      ShardTask task,
      int p,
      Iterator<PartitionData> it,
      int epoch,
      int step,
      Broadcast<FlatVector> weights) {
    if (!it.hasNext())
      throw new IllegalStateException(
          "training partition " + p + " is empty (its cached block was lost and not recomputed)");
    PartitionData data = it.next();
    return TaskThreads.run(() -> task.run(p, data, epoch, step, weights.id(), weights.value()));
  }

  /** collect() returns the results in partition order whatever order the tasks finish in. */
  private static StepSum toDriver(
      JavaRDD<PartitionData> data,
      ShardTask task,
      int epoch,
      int step,
      Broadcast<FlatVector> weights) {
    List<ShardResult> shards =
        data.mapPartitionsWithIndex(
                (p, it) ->
                    Collections.singletonList(runShard(task, p, it, epoch, step, weights))
                        .iterator(),
                true)
            .collect();
    return sumInOrder(shards);
  }

  private static StepSum reduceScatter(
      JavaRDD<PartitionData> data,
      ShardTask task,
      int epoch,
      int step,
      Broadcast<FlatVector> weights) {
    int slices = data.getNumPartitions(), length = task.paramCount;
    List<Tuple2<Integer, ShardResult>> summed =
        data.mapPartitionsWithIndex(
                (p, it) -> {
                  ShardResult r = runShard(task, p, it, epoch, step, weights);
                  List<Tuple2<Integer, ShardResult>> out = new ArrayList<>(slices);
                  for (int k = 0; k < slices; k++) {
                    out.add(
                        new Tuple2<>(
                            k,
                            new ShardResult(
                                p,
                                r.count,
                                k == 0 ? r.lossSum : 0,
                                r.grad.range(
                                    sliceStart(k, slices, length),
                                    sliceLength(k, slices, length)))));
                  }
                  return out.iterator();
                },
                true)
            .mapToPair(t -> t)
            .partitionBy(new ModPartitioner(slices))
            .mapPartitions(
                it -> {
                  List<ShardResult> parts = new ArrayList<>();
                  int k = -1;
                  while (it.hasNext()) {
                    Tuple2<Integer, ShardResult> t = it.next();
                    k = t._1();
                    parts.add(t._2());
                  }
                  if (parts.isEmpty()) return Collections.emptyIterator();
                  StepSum s = sumInOrder(parts);
                  return Collections.singletonList(
                          new Tuple2<>(k, new ShardResult(k, s.count, s.lossSum, s.grad)))
                      .iterator();
                })
            .collect();
    if (summed.size() != slices)
      throw new IllegalStateException(
          "reduce-scatter returned " + summed.size() + " of " + slices + " slices");
    FlatVector grad = FlatVector.zeros(task.dtype, length);
    int count = 0;
    double lossSum = 0;
    for (Tuple2<Integer, ShardResult> t : summed) {
      int k = t._1();
      grad.put(sliceStart(k, slices, length), t._2().grad);
      if (k == 0) {
        count = t._2().count;
        lossSum = t._2().lossSum;
      }
    }
    return new StepSum(count, lossSum, grad);
  }

  /** Adds the shards' results in partition order (the order that makes reruns bit-identical). */
  static StepSum sumInOrder(List<ShardResult> shards) {
    List<ShardResult> sorted = new ArrayList<>(shards);
    sorted.sort(Comparator.comparingInt(r -> r.partition));
    FlatVector grad = sorted.get(0).grad.copy();
    int count = sorted.get(0).count;
    double lossSum = sorted.get(0).lossSum;
    for (int i = 1; i < sorted.size(); i++) {
      grad.add(sorted.get(i).grad);
      count += sorted.get(i).count;
      lossSum += sorted.get(i).lossSum;
    }
    return new StepSum(count, lossSum, grad);
  }

  static int sliceStart(int k, int slices, int length) {
    return (int) ((long) length * k / slices);
  }

  static int sliceLength(int k, int slices, int length) {
    return sliceStart(k + 1, slices, length) - sliceStart(k, slices, length);
  }
}
