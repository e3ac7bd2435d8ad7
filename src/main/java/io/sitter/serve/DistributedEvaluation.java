package io.sitter.serve;

import io.sitter.config.BadInputException;
import io.sitter.metrics.EvaluationAccumulator;
import io.sitter.metrics.EvaluationResult;
import io.sitter.model.NetworkPayload;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;

/**
 * Evaluates a network on a normalized, labelled data set on the executors: the model is broadcast
 * once, each partition rebuilds it and runs inference in minibatches into an {@link
 * EvaluationAccumulator}, and the driver merges the partitions' accumulators in partition order.
 *
 * <p>Not {@code treeAggregate}: Spark merges its partials in task completion order, so the loss sum
 * differed in its last bit between two evaluations of the same model on the same rows (seen as two
 * evaluation.json files that were not byte-identical). An accumulator is {@code C x C} counts and
 * a few sums, so bringing one per partition to the driver costs nothing next to the inference; prep
 * merges its statistics the same way for the same reason.
 */
public final class DistributedEvaluation {
  private DistributedEvaluation() {}

  /**
   * @param model the network (its output layer must have {@code numClasses} outputs)
   * @param normalizedRows rows with {@code features array<float>} (already normalized, length = the
   *     network's input size) and {@code label int} in {@code [0, numClasses)}; other columns ignored
   * @param classes the name of each class index; {@code null} or empty for "0", "1", ...
   * @throws BadInputException when a column is missing, a row has the wrong feature count, a null
   *     or non-finite feature, or a label out of range (the message names the row's {@code index}
   *     when the data has one)
   */
  public static EvaluationResult evaluate(
      SparkSession spark, NetworkPayload model, Dataset<Row> normalizedRows, int numClasses, List<String> classes) {
    int[] shape = inputAndOutputSize(model);
    if (shape[1] != numClasses) {
      throw new IllegalArgumentException(
          "the network has " + shape[1] + " outputs but the data has " + numClasses + " classes");
    }
    JavaRDD<Row> rows = InferenceRows.select(normalizedRows).javaRDD();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<NetworkPayload> broadcast = jsc.broadcast(model);
    try {
      List<EvaluationAccumulator> partitions =
          rows.mapPartitions(new EvaluationFunctions.EvaluatePartition(broadcast, shape[0], numClasses)).collect();
      EvaluationAccumulator total = new EvaluationAccumulator(numClasses);
      for (EvaluationAccumulator p : partitions) {
        total = total.merge(p);
      }
      return EvaluationResult.of(total, classes);
    } finally {
      broadcast.destroy();
    }
  }

  /** {@code [nIn, nOut]} of the network, read from its configuration without building it. */
  static int[] inputAndOutputSize(NetworkPayload model) {
    MultiLayerConfiguration conf = MultiLayerConfiguration.fromJson(model.configurationJson());
    int layers = conf.getConfs().size();
    FeedForwardLayer first = (FeedForwardLayer) conf.getConf(0).getLayer();
    FeedForwardLayer last = (FeedForwardLayer) conf.getConf(layers - 1).getLayer();
    return new int[] {Math.toIntExact(first.getNIn()), Math.toIntExact(last.getNOut())};
  }
}
