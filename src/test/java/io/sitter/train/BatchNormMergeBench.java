package io.sitter.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitter.cli.SparkSessions;
import io.sitter.config.ConfigLoader;
import io.sitter.config.SitterConfig;
import io.sitter.data.DataSchema;
import io.sitter.metrics.RoundMetrics;
import io.sitter.model.NetworkPayload;
import io.sitter.TestFiles;
import io.sitter.prep.PrepData;
import io.sitter.storage.PrepDirectory;
import io.sitter.serve.DistributedEvaluation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * The BatchNorm merge benchmark behind scripts/bench/batchnorm-merge (issue 9, item 4), not a test:
 * trains the default network on a prep directory with the naive merge (DL4J's log10 std averaged,
 * {@link BatchNormMerge#NAIVE_LOG_STD}) and with sitter's pooled merge, and scores each model as the
 * last round's merge left it and after sitter's exact re-estimation pass. Prints one JSON object.
 *
 * <pre>
 *   skew PREP_DIR OUT_DIR P     a copy of PREP_DIR whose training rows are re-indexed so that P shards hold label-sorted blocks
 *   compare PREP_DIR RUN_DIR P EPOCHS SEED [SEED ...] [-- key=value ...]
 * </pre>
 *
 * <p>Both merges train the same weights: in training mode BatchNorm normalizes with the
 * minibatch's own statistics, so the running statistics a merge produces never reach a gradient
 * (they only seed the next round's moving average). The JSON records a hash of the non-BatchNorm
 * parameters of both runs to show it; the accuracies then differ by the running statistics alone.
 */
final class BatchNormMergeBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BatchNormMergeBench() {}

  public static void main(String[] args) throws IOException {
    switch (args[0]) {
      case "skew" -> skew(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]));
      case "compare" -> compare(args);
      default -> throw new IllegalArgumentException("unknown mode " + args[0] + " (skew | compare)");
    }
  }

  /**
   * Shards take rank r (by index) to shard r mod P ({@code Shards}). Re-indexing the training rows,
   * in (label, index) order, block by block as w * P + s (shard s, position w within its block,
   * the first N mod P blocks one row longer) keeps the indices dense 0..N-1 and puts block s on
   * shard s: with 10 classes and 4 shards each shard sees 2-3 classes. Validation and test are linked, not copied.
   */
  static void skew(Path prep, Path out, int partitions) throws IOException {
    SparkSession spark = SparkSessions.create("bench batchnorm-merge skew", false);
    Dataset<Row> train = PrepData.open(spark, TestFiles.hadoop(prep), "prep").split("train");
    long n = train.count();
    long m = n / partitions;
    long longer = n % partitions;
    long head = longer * (m + 1);
    Column q = row_number().over(Window.orderBy(DataSchema.LABEL, DataSchema.INDEX)).minus(1);
    Column tail = col("q").minus(head);
    Column shard = when(col("q").lt(head), col("q").divide(m + 1).cast(DataTypes.LongType))
        .otherwise(lit(longer).plus(tail.divide(m).cast(DataTypes.LongType)));
    Column within = when(col("q").lt(head), col("q").mod(m + 1)).otherwise(tail.mod(m));
    Dataset<Row> skewed = train.withColumn("q", q)
        .select(within.multiply(partitions).plus(shard).cast(DataTypes.LongType).as(DataSchema.INDEX),
            col(DataSchema.FEATURES), col(DataSchema.LABEL));
    Files.createDirectories(out);
    skewed.write().mode(SaveMode.Overwrite).parquet(out.resolve("train").toUri().toString());
    spark.stop();
    Files.copy(prep.resolve(PrepDirectory.PREPROCESSING), out.resolve(PrepDirectory.PREPROCESSING),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    for (String split : List.of("val", "test")) {
      Path link = out.resolve(split);
      Files.deleteIfExists(link);
      if (Files.isDirectory(prep.resolve(split))) {
        Files.createSymbolicLink(link, prep.resolve(split).toAbsolutePath());
      }
    }
  }

  static void compare(String[] args) throws IOException {
    Path prep = Path.of(args[1]);
    Path runDir = Path.of(args[2]);
    int partitions = Integer.parseInt(args[3]);
    int epochs = Integer.parseInt(args[4]);
    List<String> rest = List.of(args).subList(5, args.length);
    int dash = rest.indexOf("--");
    List<Long> seeds = (dash < 0 ? rest : rest.subList(0, dash)).stream().map(Long::parseLong).toList();
    List<String> sets = dash < 0 ? List.of() : rest.subList(dash + 1, rest.size());
    SparkSession spark = SparkSessions.create("bench batchnorm-merge", false);
    PrepData dir = PrepData.open(spark, TestFiles.hadoop(prep), "prep");
    Dataset<Row> val = dir.split("val").cache();
    Dataset<Row> test = dir.split("test").cache();
    ObjectNode out = JSON.createObjectNode();
    out.put("prep", prep.toString());
    out.put("partitions", partitions);
    out.put("epochs", epochs);
    out.put("master", spark.sparkContext().master());
    out.put("spark", spark.version());
    out.put("java", System.getProperty("java.version"));
    out.put("dl4j", org.deeplearning4j.nn.multilayer.MultiLayerNetwork.class.getPackage().getImplementationVersion());
    ArrayNode setNode = out.putArray("config_overrides");
    sets.forEach(setNode::add);
    ArrayNode runs = out.putArray("runs");
    for (long seed : seeds) {
      List<String> overrides = new ArrayList<>(List.of("train.epochs=" + epochs, "train.seed=" + seed, "train.reestimateBatchNorm=true"));
      overrides.addAll(sets);
      SitterConfig config = ConfigLoader.defaults(overrides);
      ObjectNode r = runs.addObject();
      r.put("seed", seed);
      for (BatchNormMerge merge : BatchNormMerge.values()) {
        LastMerge last = new LastMerge();
        TrainResult result = TrainJob.run(spark, new TrainRequest(TestFiles.hadoop(prep), TestFiles.hadoop(runDir), config, partitions,
            TrainRequest.OutputMode.OVERWRITE, List.of(last), Map.of("sitter", "bench batchnorm-merge"),
            new PrintWriter(System.err, true)), merge);
        ObjectNode o = r.putObject(merge.name().toLowerCase(java.util.Locale.ROOT));
        o.put("rounds", result.rounds());
        o.put("averaging_frequency", result.averagingFrequency());
        o.put("val_accuracy_merged", accuracy(spark, last.payload, val, dir));
        o.put("test_accuracy_merged", accuracy(spark, last.payload, test, dir));
        o.put("val_accuracy_reestimated", result.valAccuracy());
        o.put("test_accuracy_reestimated", result.testAccuracy());
        o.put("train_loss", result.trainLoss());
        o.put("weights_hash", last.weightsHash);
        o.set("merged_vs_exact_statistics", mergedVsExact(last.payload.params(), result.model()));
        o.put("seconds", result.seconds());
      }
    }
    val.unpersist();
    test.unpersist();
    spark.stop();
    System.out.println(JSON.writeValueAsString(out));
  }

  /**
   * How far the last merge's BatchNorm statistics are from the exact ones the re-estimation pass
   * computed for the same weights, over every unit of every BatchNorm layer: the median ratio of
   * merged to exact variance (below 1: the merge undershoots), the median and largest |ln| of that
   * ratio, and the median shift of the mean in exact stds.
   */
  private static ObjectNode mergedVsExact(float[] merged, org.deeplearning4j.nn.multilayer.MultiLayerNetwork exactNet) {
    float[] exact = exactNet.params().dup().data().asFloat();
    List<Double> ratios = new ArrayList<>();
    List<Double> logs = new ArrayList<>();
    List<Double> shifts = new ArrayList<>();
    for (NetworkLayout.BatchNormStats bn : NetworkLayout.of(exactNet).batchNorms) {
      for (int j = 0; j < bn.units(); j++) {
        double v = exact[bn.varOffset() + j];
        double ratio = merged[bn.varOffset() + j] / v;
        ratios.add(ratio);
        logs.add(Math.abs(Math.log(ratio)));
        shifts.add(Math.abs(merged[bn.meanOffset() + j] - exact[bn.meanOffset() + j]) / Math.sqrt(v));
      }
    }
    ObjectNode o = JSON.createObjectNode();
    o.put("units", ratios.size());
    o.put("variance_ratio_median", median(ratios));
    o.put("abs_log_variance_ratio_median", median(logs));
    o.put("abs_log_variance_ratio_max", logs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
    o.put("mean_shift_in_stds_median", median(shifts));
    return o;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static double accuracy(SparkSession spark, NetworkPayload model, Dataset<Row> rows, PrepData dir) {
    return DistributedEvaluation.evaluate(spark, model, rows, dir.normalizer().numClasses(), dir.normalizer().classes()).accuracy();
  }

  /** Keeps the network as the last round's merge left it, before the re-estimation pass replaces its BatchNorm statistics. */
  private static final class LastMerge implements RoundListener {
    NetworkPayload payload;
    int weightsHash;

    @Override
    public void afterRound(TrainingView view, RoundMetrics.Builder metrics) {
      if (view.round() == view.totalRounds()) {
        payload = NetworkPayload.of(view.network());
        float[] params = view.network().params().dup().data().asFloat();
        for (NetworkLayout.BatchNormStats bn : NetworkLayout.of(view.network()).batchNorms) {
          Arrays.fill(params, bn.meanOffset(), bn.meanOffset() + bn.units(), 0f);
          Arrays.fill(params, bn.varOffset(), bn.varOffset() + bn.units(), 0f);
        }
        weightsHash = Arrays.hashCode(params);
      }
    }
  }
}
