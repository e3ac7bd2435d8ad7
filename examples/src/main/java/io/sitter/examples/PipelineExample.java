package io.sitter.examples;

import io.sitter.ml.SitterClassificationModel;
import io.sitter.ml.SitterClassifier;
import java.io.IOException;
import java.util.Arrays;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * sitter inside a Spark application: a CSV with a header, numeric feature columns and a label
 * column (any values; StringIndexer numbers them), trained through a Spark ML Pipeline
 * (StringIndexer -> VectorAssembler -> SitterClassifier), evaluated on a held-out fifth, saved,
 * loaded back and used to score.
 *
 * <pre>
 * spark-submit --class io.sitter.examples.PipelineExample --jars sitter-0.1.0-SNAPSHOT-spark4.jar \
 *   sitter-examples-0.1.0-SNAPSHOT.jar INPUT.csv LABEL_COLUMN MODEL_DIR [RUN_DIR]
 * </pre>
 */
public final class PipelineExample {
  private PipelineExample() {}

  /** What one run of the example measured. */
  public record Result(double testAccuracy, double reloadedTestAccuracy, long scored) {}

  public static void main(String[] args) throws IOException {
    if (args.length < 3) {
      System.err.println("usage: PipelineExample INPUT.csv LABEL_COLUMN MODEL_DIR [RUN_DIR]");
      System.exit(2);
    }
    SparkSession spark = SparkSession.builder().appName("sitter pipeline example").getOrCreate();
    Result r = run(spark, args[0], args[1], args[2], args.length > 3 ? args[3] : "");
    System.out.printf("test accuracy %.4f (reloaded model: %.4f), %d rows scored%n", r.testAccuracy(), r.reloadedTestAccuracy(), r.scored());
    spark.stop();
  }

  /**
   * @param input a CSV file with a header (any Hadoop path)
   * @param labelColumn the label's column; every other column is a feature
   * @param modelDir where the fitted pipeline is saved (any Hadoop path; replaced if present)
   * @param runDir where sitter writes metrics, checks and report.html; empty for none
   */
  public static Result run(SparkSession spark, String input, String labelColumn, String modelDir, String runDir) throws IOException {
    Dataset<Row> data = spark.read().option("header", true).option("inferSchema", true).csv(input);
    String[] features = Arrays.stream(data.columns()).filter(c -> !c.equals(labelColumn)).toArray(String[]::new);
    Dataset<Row>[] split = data.randomSplit(new double[] {0.8, 0.2}, 42);
    Dataset<Row> train = split[0];
    Dataset<Row> test = split[1];

    SitterClassifier sitter = new SitterClassifier()
        .setLabelCol("labelIndex")
        .setHiddenLayers(new int[] {32, 32})
        .setLearningRate(0.01)
        .setEpochs(5)
        .setMinibatchSize(32)
        .setNormalization("standardize")
        .setValidationFraction(0.1)
        .setSeed(42)
        .setRunDir(runDir)
        .setOverwriteRunDir(true);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new StringIndexer().setInputCol(labelColumn).setOutputCol("labelIndex"),
        new VectorAssembler().setInputCols(features).setOutputCol("features"),
        sitter});
    PipelineModel model = pipeline.fit(train);

    MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator()
        .setLabelCol("labelIndex").setMetricName("accuracy");
    double testAccuracy = accuracy.evaluate(model.transform(test));

    model.write().overwrite().save(modelDir);
    PipelineModel loaded = PipelineModel.load(modelDir);
    SitterClassificationModel network = (SitterClassificationModel) loaded.stages()[2];
    System.out.println("loaded " + network);
    Dataset<Row> scored = loaded.transform(test);
    double reloaded = accuracy.evaluate(scored);
    long n = scored.select(labelColumn, "probability", "prediction").count();
    return new Result(testAccuracy, reloaded, n);
  }
}
