package dev.autograd.spark;

import dev.autograd.core.Autograd;
import dev.autograd.core.DType;
import dev.autograd.core.GradMode;
import dev.autograd.core.Tensor;
import dev.autograd.nn.Module;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Batch inference: scores a DataFrame with a trained module, adding a column with the model's
 * output for each row (array of float or double, the model's dtype) and, optionally, a column with
 * the index of the largest output (the predicted class). Rows are scored per partition in batches,
 * in eval mode without recording; the weights are broadcast once per predictor.
 *
 * <pre>{@code
 * Dataset<Row> scored = new SparkPredictor(factory, model).featureShape(1, 28, 28)
 *     .predictionCol("prediction").transform(df);
 * }</pre>
 */
public final class SparkPredictor implements AutoCloseable {
  private final ModuleFactory modelFactory;
  private final FlatVector weights;
  private final DType dtype;
  private final String runId = UUID.randomUUID().toString();
  private String featuresCol = "features", outputCol = "output", predictionCol;
  private int[] featureShape;
  private int batchSize = 256;
  private Broadcast<FlatVector> broadcast;

  /**
   * Scores with {@code model}'s current weights; {@code modelFactory} builds its architecture on
   * the executors.
   */
  public SparkPredictor(ModuleFactory modelFactory, Module model) {
    if (modelFactory == null || model == null)
      throw new IllegalArgumentException(
          "SparkPredictor needs a model factory and a model (got null)");
    this.modelFactory = modelFactory;
    List<Tensor> params = model.parameters();
    this.dtype = FlatVector.dtypeOf(params, model.getClass().getSimpleName());
    this.weights = FlatVector.of(params, dtype);
    Module probe = modelFactory.create();
    if (probe == null || FlatVector.totalLength(probe.parameters()) != weights.length()) {
      throw new IllegalArgumentException(
          "the ModuleFactory builds a module with "
              + (probe == null
                  ? "nothing"
                  : FlatVector.totalLength(probe.parameters()) + " parameter values")
              + " but the model has "
              + weights.length()
              + "; the factory must build the model's architecture");
    }
  }

  /**
   * The column holding each row's features (default {@code features}): a numeric array or vector
   * column.
   */
  public SparkPredictor featuresCol(String c) {
    this.featuresCol = c;
    return this;
  }

  /** The shape of one row's features as the model takes it (default flat). */
  public SparkPredictor featureShape(int... shape) {
    if (shape == null || shape.length == 0)
      throw new IllegalArgumentException("featureShape needs at least one dimension");
    for (int d : shape)
      if (d < 1)
        throw new IllegalArgumentException(
            "featureShape dimensions must be >= 1, got " + Arrays.toString(shape));
    this.featureShape = shape.clone();
    return this;
  }

  /** The new column of model outputs (default "output"). */
  public SparkPredictor outputCol(String c) {
    if (c == null || c.isEmpty())
      throw new IllegalArgumentException("outputCol must be a non-empty name");
    this.outputCol = c;
    return this;
  }

  /** Also add this integer column: the index of each row's largest output (default none). */
  public SparkPredictor predictionCol(String c) {
    this.predictionCol = c;
    return this;
  }

  /** Rows per forward pass (default 256). */
  public SparkPredictor batchSize(int b) {
    if (b < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + b);
    this.batchSize = b;
    return this;
  }

  /** {@code df} with the output (and prediction) columns added; lazy, like every transformation. */
  public Dataset<Row> transform(Dataset<Row> df) {
    if (df == null) throw new IllegalArgumentException("transform: the DataFrame is null");
    StructType in = df.schema();
    for (String c :
        predictionCol == null
            ? new String[] {outputCol}
            : new String[] {outputCol, predictionCol}) {
      if (Arrays.asList(in.fieldNames()).contains(c))
        throw new IllegalArgumentException(
            "the DataFrame already has a column '" + c + "'; choose another output name");
    }
    int fi = DataFrames.numericColumn(in, featuresCol, "features");
    StructType out =
        in.add(
            outputCol,
            DataTypes.createArrayType(
                dtype == DType.FLOAT64 ? DataTypes.DoubleType : DataTypes.FloatType, false),
            false);
    if (predictionCol != null) out = out.add(predictionCol, DataTypes.IntegerType, false);
    Broadcast<FlatVector> b = broadcast(df);
    Scorer scorer =
        new Scorer(
            runId,
            modelFactory,
            b,
            fi,
            featuresCol,
            featureShape,
            batchSize,
            dtype,
            predictionCol != null);
    return df.mapPartitions(scorer, Encoders.row(out));
  }

  private synchronized Broadcast<FlatVector> broadcast(Dataset<Row> df) {
    if (broadcast == null)
      broadcast =
          JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext()).broadcast(weights);
    return broadcast;
  }

  /** Releases the broadcast weights (after the scored data has been used). */
  @Override
  public synchronized void close() {
    if (broadcast != null) broadcast.destroy();
    broadcast = null;
    Replica.release(runId);
  }

  /** The per-partition scoring function shipped to the executors. */
  private static final class Scorer implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final String runId;
    private final ModuleFactory factory;
    private final Broadcast<FlatVector> weights;
    private final int featureIndex, batchSize;
    private final String featuresCol;
    private final int[] featureShape;
    private final DType dtype;
    private final boolean argmax;

    Scorer(
        String runId,
        ModuleFactory factory,
        Broadcast<FlatVector> weights,
        int featureIndex,
        String featuresCol,
        int[] featureShape,
        int batchSize,
        DType dtype,
        boolean argmax) {
      this.runId = runId;
      this.factory = factory;
      this.weights = weights;
      this.featureIndex = featureIndex;
      this.featuresCol = featuresCol;
      this.featureShape = featureShape;
      this.batchSize = batchSize;
      this.dtype = dtype;
      this.argmax = argmax;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      return new Iterator<>() {
        private final List<Row> ready = new ArrayList<>();
        private int next;

        @Override
        public boolean hasNext() {
          if (next < ready.size()) return true;
          ready.clear();
          next = 0;
          List<Row> batch = new ArrayList<>(batchSize);
          while (batch.size() < batchSize && rows.hasNext()) batch.add(rows.next());
          if (!batch.isEmpty()) ready.addAll(TaskThreads.run(() -> score(batch)));
          return !ready.isEmpty();
        }

        @Override
        public Row next() {
          if (!hasNext()) throw new NoSuchElementException();
          return ready.get(next++);
        }
      };
    }

    private List<Row> score(List<Row> batch) {
      int n = batch.size(), width = -1;
      double[] x = null;
      for (int r = 0; r < n; r++) {
        double[] v = DataFrames.values(batch.get(r), featureIndex, featuresCol);
        if (x == null) {
          width = v.length;
          x = new double[n * width];
        } else if (v.length != width) {
          throw new IllegalArgumentException(
              "column '"
                  + featuresCol
                  + "' has "
                  + v.length
                  + " values in row "
                  + batch.get(r)
                  + " but "
                  + width
                  + " in the rows before");
        }
        System.arraycopy(v, 0, x, r * width, width);
      }
      int[] shape = featureShape != null ? featureShape : new int[] {width};
      long cells = 1;
      for (int d : shape) cells *= d;
      if (cells != width)
        throw new IllegalArgumentException(
            "featureShape "
                + Arrays.toString(shape)
                + " holds "
                + cells
                + " values but column '"
                + featuresCol
                + "' has "
                + width);
      int[] full = new int[shape.length + 1];
      full[0] = n;
      System.arraycopy(shape, 0, full, 1, shape.length);
      Tensor input = Tensor.of(x, full);
      if (dtype == DType.FLOAT32) input = Tensor.of(input.toFloatArray(), full);
      Replica r = Replica.take(runId, factory, null);
      Tensor y;
      try (GradMode.Scope s = Autograd.noGrad()) {
        r.load(weights.id(), weights.value());
        r.model.eval();
        y = r.model.forward(input);
      }
      Replica.giveBack(runId, r);
      if (y.dim() < 1 || y.size(0) != n)
        throw new IllegalStateException(
            "the model's output has shape "
                + Arrays.toString(y.shapeRef())
                + " for a batch of "
                + n
                + " rows");
      int k = y.numel() / n;
      double[] values = y.toDoubleArray();
      List<Row> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Row row = batch.get(i);
        Object[] cells2 = new Object[row.size() + (argmax ? 2 : 1)];
        for (int c = 0; c < row.size(); c++) cells2[c] = row.get(c);
        List<Object> o = new ArrayList<>(k);
        int best = 0;
        for (int j = 0; j < k; j++) {
          double v = values[i * k + j];
          o.add(dtype == DType.FLOAT64 ? (Object) v : (Object) (float) v);
          if (v > values[i * k + best]) best = j;
        }
        cells2[row.size()] =
            scala.jdk.javaapi.CollectionConverters.asScala(o)
                .toSeq(); // the row encoder takes Scala sequences
        if (argmax) cells2[row.size() + 1] = best;
        out.add(RowFactory.create(cells2));
      }
      return out;
    }
  }
}
