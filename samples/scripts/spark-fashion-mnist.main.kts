// Fashion-MNIST trained data-parallel on Apache Spark (embedded local[2]) from a Kotlin script,
// then the test images scored as a DataFrame. Needs dataset-fashion-mnist (apt).
// Run from the repository root: samples/scripts/run-script.sh spark-fashion-mnist
// (TRAIN_LIMIT=60000 EPOCHS=5 for the full run; the defaults take about a minute).
import dev.autograd.core.Autograd
import dev.autograd.nn.CrossEntropyLoss
import dev.autograd.nn.Linear
import dev.autograd.nn.ReLU
import dev.autograd.nn.Sequential
import dev.autograd.nn.data.FashionMnist
import dev.autograd.nn.optim.Adam
import dev.autograd.nn.optim.CosineAnnealingLR
import dev.autograd.spark.ModuleFactory
import dev.autograd.spark.SparkPredictor
import dev.autograd.spark.SparkTrainer
import org.apache.spark.sql.RowFactory
import org.apache.spark.sql.SparkSession
import org.apache.spark.sql.functions.col
import org.apache.spark.sql.types.DataTypes
import org.apache.spark.sql.types.StructType

val trainLimit = System.getenv("TRAIN_LIMIT")?.toInt() ?: 10_000
val epochs = System.getenv("EPOCHS")?.toInt() ?: 2

// Spark's tasks deserialize the model factory below, a class of this script: let the embedded
// executor load classes through the script's class loader.
Thread.currentThread().contextClassLoader = object {}.javaClass.classLoader
val spark = SparkSession.builder().master("local[2]").appName("spark-fashion-mnist")
    .config("spark.ui.showConsoleProgress", "false").getOrCreate()

fun frame(train: Boolean, limit: Int): org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> {
    val (images, labels) = FashionMnist.load(FashionMnist.defaultDir(), train, limit).tensors()
    val pixels = images.toFloatArray()
    val classes = labels.toLongArray()
    val rows = (0 until classes.size).map { i -> RowFactory.create(pixels.copyOfRange(i * 784, (i + 1) * 784), classes[i].toInt()) }
    val schema = StructType().add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
        .add("label", DataTypes.IntegerType, false)
    return spark.createDataFrame(rows, schema)
}

val mlp = ModuleFactory { Sequential(Linear(784, 256), ReLU(), Linear(256, 10)) }
try {
    val train = frame(true, trainLimit)
    val test = frame(false, 2_000)
    Autograd.manualSeed(0)
    val model = mlp.create()
    val history = SparkTrainer(mlp, { CrossEntropyLoss() }, { params -> Adam(params, 1e-3) })
        .session(spark).partitions(2).batchSize(64).epochs(epochs)
        .scheduler { opt, total -> CosineAnnealingLR(opt, total, 0.0) }
        .fit(model, train, "features", "label")
    println("epoch losses: " + history.epochLosses().joinToString { "%.4f".format(it) })
    SparkPredictor(mlp, model).predictionCol("prediction").use { predictor ->
        val correct = predictor.transform(test).where(col("prediction").equalTo(col("label"))).count()
        println("test accuracy %.2f%% on 2000 images (scored on Spark)".format(100.0 * correct / 2000))
    }
} finally {
    spark.stop()
}
