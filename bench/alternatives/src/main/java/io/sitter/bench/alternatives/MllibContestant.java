package io.sitter.bench.alternatives;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitter.data.DataSchema;
import io.sitter.prep.PrepData;
import java.nio.file.Path;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Spark MLlib's {@code MultilayerPerceptronClassifier}, its only neural network (sigmoid hidden
 * layers, softmax output, no BatchNorm), with the same layer sizes as sitter's default net
 * (784-256-256-10), L-BFGS, on the same prep split in the same session master (local[2]).
 *
 * <p>Accuracy over time: MLlib trains in one {@code fit} to {@code maxIter}, so training runs in
 * chunks of {@code CHUNK} L-BFGS iterations, each {@code fit} starting from the previous chunk's
 * weights ({@code setInitialWeights}), with test accuracy measured between chunks. Honest
 * accounting: the clock is the sum of the {@code fit} calls (so every chunk's own set-up, stacking
 * the rows into blocks, counts), and each chunk restarts L-BFGS's curvature history, so chunked
 * training is not identical to one long run. {@code tol} is 0 so each chunk runs its iterations.
 * Stops at {@code MAX_ITER} iterations or once the clock passes {@code MAX_SECONDS}.
 * Examples per second counts one pass over the training split per iteration (L-BFGS line searches
 * may evaluate more), as a nominal figure.
 *
 * <pre>MllibContestant PREP_DIR PARTITIONS CHUNK MAX_ITER MAX_SECONDS</pre>
 */
public final class MllibContestant {
  private MllibContestant() {}

  public static void main(String[] args) throws Exception {
    Path prep = Path.of(args[0]);
    int partitions = Contestants.intArg(args, 1, "PARTITIONS");
    int chunk = Contestants.intArg(args, 2, "CHUNK");
    int maxIter = Contestants.intArg(args, 3, "MAX_ITER");
    int maxSeconds = Contestants.intArg(args, 4, "MAX_SECONDS");
    SparkSession spark = Contestants.session("mllib", false);
    Dataset<Row> train = vectors(spark, prep, "train").repartition(partitions).cache();
    Dataset<Row> test = vectors(spark, prep, "test").cache();
    long trainSize = train.count();
    test.count();
    int numFeatures = test.first().<org.apache.spark.ml.linalg.Vector>getAs("features").size();
    int[] layers = {numFeatures, 256, 256, Contestants.NUM_CLASSES};

    MultilayerPerceptronClassifier mlp = new MultilayerPerceptronClassifier()
        .setLayers(layers).setSolver("l-bfgs").setBlockSize(128).setSeed(42).setTol(0.0).setMaxIter(chunk);
    MulticlassClassificationEvaluator evaluator = new MulticlassClassificationEvaluator().setMetricName("accuracy");
    AccuracyTimeline timeline = new AccuracyTimeline();
    TrainingClock clock = new TrainingClock();
    int iterations = 0;
    while (iterations < maxIter && clock.seconds() < maxSeconds) {
      clock.start();
      MultilayerPerceptronClassificationModel model = mlp.fit(train);
      clock.stop();
      iterations += chunk;
      timeline.record(iterations, iterations * trainSize, clock.seconds(), evaluator.evaluate(model.transform(test)));
      System.err.printf("mllib: %d L-BFGS iterations, test accuracy %.4f at %.1f s%n", iterations, timeline.finalAccuracy(), clock.seconds());
      mlp.setInitialWeights(model.weights());
    }
    ObjectNode o = Contestants.result("mllib_mlp", "l-bfgs,chunk=" + chunk, prep);
    o.put("master", spark.sparkContext().master());
    o.put("partitions", partitions);
    o.put("cores", partitions);
    o.put("layers", java.util.Arrays.toString(layers));
    o.put("iterations", iterations);
    o.put("chunk_iterations", chunk);
    o.put("max_iterations", maxIter);
    o.put("max_seconds", maxSeconds);
    o.put("native_blas", nativeBlas());
    o.put("clock", "sum of fit calls, one per chunk of L-BFGS iterations (continued via initialWeights); test evaluation excluded");
    timeline.writeTo(o, Contestants.JSON);
    Contestants.print(o);
    spark.stop();
  }

  /**
   * MLlib's matrix products go through dev.ludovic.netlib's native BLAS when it loads (else a pure
   * Java one, several times slower): say which one this run had. The script points it at the
   * OpenBLAS that ND4J ships ({@code -Ddev.ludovic.netlib.blas.nativeLibPath}), as a Spark user
   * would install a system OpenBLAS.
   */
  private static String nativeBlas() {
    try {
      return dev.ludovic.netlib.blas.NativeBLAS.getInstance().getClass().getName()
          + " from " + System.getProperty("dev.ludovic.netlib.blas.nativeLibPath", "libblas.so.3");
    } catch (RuntimeException | LinkageError e) {
      return "none (" + e.getMessage() + "): " + dev.ludovic.netlib.blas.BLAS.getInstance().getClass().getName();
    }
  }

  /** The split as MLlib wants it: a dense vector column {@code features} and a double {@code label}. */
  private static Dataset<Row> vectors(SparkSession spark, Path prep, String split) {
    return PrepData.open(spark, Contestants.hadoop(prep), "--data").split(split).select(
        functions.array_to_vector(col(DataSchema.FEATURES)).as("features"),
        col(DataSchema.LABEL).cast("double").as("label"));
  }
}
