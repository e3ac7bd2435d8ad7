package io.sitter.serve;

import io.sitter.model.NetworkPayload;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Class predictions for normalized rows, computed on the executors with the model broadcast once.
 * The result has the input's {@code index}, the {@code prediction} (the original label: a string
 * when the training labels were strings, else the integer) and {@code prob_<class>} per class.
 *
 * <p>The returned Dataset is lazy: each action on it runs inference again. Its model broadcast is
 * left to Spark's context cleaner, since only the caller knows when the last action has run.
 */
public final class DistributedPrediction {
  private DistributedPrediction() {}

  /** The output schema for these class names. */
  public static StructType schema(List<String> classes, boolean labelsWereStrings) {
    StructType s = new StructType()
        .add("index", DataTypes.LongType, false)
        .add("prediction", integerLabels(classes, labelsWereStrings) ? DataTypes.IntegerType : DataTypes.StringType, false);
    for (String c : classes) {
      s = s.add(probabilityColumn(c), DataTypes.FloatType, false);
    }
    return s;
  }

  /** The name of class {@code className}'s probability column. */
  public static String probabilityColumn(String className) {
    return "prob_" + className;
  }

  /**
   * @param normalizedRows rows with {@code features array<float>} (normalized, the network's input
   *     size) and, when present, {@code index long} (else -1); any label column is ignored
   * @param classes the model's class names, in index order
   * @param labelsWereStrings whether predictions are reported as names rather than integers
   */
  public static Dataset<Row> predict(
      SparkSession spark, NetworkPayload model, Dataset<Row> normalizedRows, List<String> classes, boolean labelsWereStrings) {
    int[] shape = DistributedEvaluation.inputAndOutputSize(model);
    if (shape[1] != classes.size()) {
      throw new IllegalArgumentException(
          "the network has " + shape[1] + " outputs but " + classes.size() + " class names were given");
    }
    StructType schema = schema(classes, labelsWereStrings);
    Object[] labelValues = new Object[classes.size()];
    boolean ints = integerLabels(classes, labelsWereStrings);
    for (int c = 0; c < labelValues.length; c++) {
      labelValues[c] = ints ? (Object) Integer.valueOf(classes.get(c).trim()) : classes.get(c);
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<NetworkPayload> broadcast = jsc.broadcast(model);
    JavaRDD<Row> rows = InferenceRows.selectUnlabelled(normalizedRows).javaRDD()
        .mapPartitions(new PredictionFunctions.PredictPartition(broadcast, shape[0], labelValues));
    return spark.createDataFrame(rows, schema);
  }

  /**
   * Integer predictions when the training labels were integers (their names are then the integers
   * as text); names otherwise.
   */
  static boolean integerLabels(List<String> classes, boolean labelsWereStrings) {
    if (labelsWereStrings) {
      return false;
    }
    for (String c : classes) {
      try {
        Integer.parseInt(c.trim());
      } catch (NumberFormatException e) {
        return false;
      }
    }
    return true;
  }
}
