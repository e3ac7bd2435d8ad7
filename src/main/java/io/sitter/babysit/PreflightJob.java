package io.sitter.babysit;

import io.sitter.config.BabysitConfig;
import io.sitter.config.BadInputException;
import io.sitter.config.ModelConfig;
import io.sitter.config.SitterConfig;
import io.sitter.metrics.CheckResult;
import io.sitter.metrics.ChecksReport;
import io.sitter.metrics.LrProbeCurve;
import io.sitter.model.NetworkFactory;
import io.sitter.model.NetworkPayload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The preflight checks of CS231n's "babysitting" on a training split, before any training: the
 * untrained network's loss, that regularization raises it, the scale of the features, the balance
 * of the classes, that a small subset can be memorised, and a learning-rate range test. The numbers are computed on the executors (partial loss sums
 * merged on the driver; the overfit and the range test each one task on a one-partition sample)
 * and judged on the driver. Only samples of the split are read, never the whole of it collected.
 */
public final class PreflightJob {
  /** The range test needs no more than this many distinct examples; more would only cost reading. */
  static final int LR_PROBE_MAX_EXAMPLES = 8192;

  private PreflightJob() {}

  /**
   * Runs checks 1-4 on the training split of a prep output directory.
   *
   * @throws BadInputException when the directory is not a prep output or its split is bad
   */
  public static ChecksReport run(SparkSession spark, org.apache.hadoop.fs.Path prepDir, SitterConfig config) {
    PrepSplit split = PrepSplit.train(spark, prepDir);
    return run(spark, split.rows(), split.source(), split.numFeatures(), split.numClasses(), config);
  }

  /**
   * Runs checks 1-4.
   *
   * @param train the training split (columns {@code index, features, label}, docs/formats.md)
   * @param source the split's path, named in bad-input messages
   * @return the verdicts and the range test's curve; {@code aborted} is null
   * @throws BadInputException when the split is empty or a sampled row is malformed
   */
  public static ChecksReport run(
      SparkSession spark, Dataset<Row> train, String source, int numFeatures, int numClasses, SitterConfig config) {
    long count = train.count();
    if (count == 0) {
      throw new BadInputException(source + ": the training split is empty");
    }
    long seed = config.train().seed();
    // Checks run without regularization and dropout (CS231n: "turn off regularization").
    ModelConfig bare = withRegularization(config.model(), 0.0, 0.0);
    MultiLayerNetwork net = NetworkFactory.build(bare, config.train(), numFeatures, numClasses, seed);
    NetworkPayload plain = NetworkPayload.of(net);

    BabysitConfig b = config.babysit();
    int probeExamples = (int) Math.min(count,
        Math.min((long) b.lrProbeSteps() * config.train().minibatchSize(), LR_PROBE_MAX_EXAMPLES));
    long largest = Math.min(count, Math.max(b.sampleSize(), Math.max(b.overfitExamples(), probeExamples)));
    // One random sample for all checks, drawn in one pass: reading and decoding the split's
    // array<float> column is the expensive part (on Fashion-MNIST about 7 s a pass in local[2]).
    // orderBy(rand).limit plans as Spark's TakeOrderedAndProject: each partition keeps its own
    // top n, so the split is never shuffled or collected as a whole.
    Dataset<Row> sample = train.orderBy(functions.rand(seed)).limit((int) largest).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      // With the whole split fitting in the sample, use it as partitioned: the sums then do not
      // depend on the random order (and tests can recompute them partition by partition).
      Dataset<Row> lossRows = b.sampleSize() >= count
          ? train
          : sample.limit(b.sampleSize()).repartition(spark.sparkContext().defaultParallelism());
      boolean probe = config.model().l2() == 0;
      double l2 = probe ? b.regularizationProbeL2() : config.model().l2();
      LossAccumulator sums = lossSums(spark, lossRows, source, count, net, plain, l2, numFeatures, numClasses, config);
      OverfitOutcome overfit = overfit(onePartition(sample, b.overfitExamples()), source, plain, numFeatures, numClasses,
          config);
      LrProbeCurve curve = lrProbe(onePartition(sample, probeExamples), source, plain, numFeatures, numClasses, config);
      PreflightEvidence evidence =
          new PreflightEvidence(config, numClasses, sums, l2, probe, l2Penalty(net, l2), overfit, curve);
      List<CheckResult> checks = new ArrayList<>();
      for (Check<PreflightEvidence> check : Checks.PREFLIGHT) {
        checks.addAll(check.judge(evidence));
      }
      return new ChecksReport(null, checks, curve);
    } finally {
      sample.unpersist(false);
    }
  }

  /** The untrained network's losses (plain and with L2 {@code l2}), feature scales and class counts on the sample. */
  private static LossAccumulator lossSums(SparkSession spark, Dataset<Row> sample, String source, long count,
      MultiLayerNetwork net, NetworkPayload plain, double l2, int numFeatures, int numClasses, SitterConfig config) {
    NetworkPayload regularized = new NetworkPayload(
        NetworkFactory.configuration(withRegularization(config.model(), l2, 0.0), config.train(), numFeatures,
            numClasses, config.train().seed()).toJson(),
        plain.params());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<NetworkPayload> plainB = jsc.broadcast(plain);
    Broadcast<NetworkPayload> regB = jsc.broadcast(regularized);
    LossAccumulator sums;
    try {
      sums = sample.javaRDD()
          .mapPartitions(new PreflightFunctions.LossPartition(plainB, regB, numFeatures, numClasses,
              config.train().minibatchSize(), source))
          .reduce(LossAccumulator::merge);
    } finally {
      plainB.destroy();
      regB.destroy();
    }
    if (sums.count() == 0) {
      throw new BadInputException(source + ": the sample of " + count + " training rows came out empty");
    }
    return sums;
  }

  private static OverfitOutcome overfit(JavaRDD<Row> subset, String source, NetworkPayload plain, int numFeatures,
      int numClasses, SitterConfig config) {
    List<OverfitOutcome> out = subset
        .mapPartitions(new PreflightFunctions.OverfitTask(plain, config.train().learningRate(),
            config.babysit().overfitMaxIterations(), config.babysit().overfitLossTarget(), numFeatures, numClasses,
            source))
        .collect();
    if (out.size() != 1) {
      throw new IllegalStateException("the overfit check ran on " + out.size() + " partitions, expected 1");
    }
    return out.get(0);
  }

  private static LrProbeCurve lrProbe(JavaRDD<Row> subset, String source, NetworkPayload plain,
      int numFeatures, int numClasses, SitterConfig config) {
    int steps = config.babysit().lrProbeSteps();
    int minibatch = config.train().minibatchSize();
    List<LrProbeOutcome> out = subset
        .mapPartitions(new PreflightFunctions.LrProbeTask(plain, config.babysit().lrProbeMin(),
            config.babysit().lrProbeMax(), steps, minibatch, config.train().seed(), numFeatures, numClasses, source))
        .collect();
    if (out.size() != 1) {
      throw new IllegalStateException("the learning-rate probe ran on " + out.size() + " partitions, expected 1");
    }
    return LrProbeCheck.analyse(out.get(0).rates(), out.get(0).losses());
  }

  /** The first {@code n} rows of the (cached, randomly ordered) sample, in one partition for one task. */
  static JavaRDD<Row> onePartition(Dataset<Row> sample, int n) {
    return sample.limit(n).javaRDD().coalesce(1);
  }

  /** DL4J's L2 penalty, l2/2 * sum(W^2) over the Dense and Output weight matrices (not biases, not BatchNorm). */
  static double l2Penalty(MultiLayerNetwork net, double l2) {
    double sum = 0;
    for (Map.Entry<String, INDArray> e : net.paramTable().entrySet()) {
      if (e.getKey().endsWith("_W")) {
        double norm = e.getValue().norm2Number().doubleValue();
        sum += norm * norm;
      }
    }
    return 0.5 * l2 * sum;
  }

  static ModelConfig withRegularization(ModelConfig m, double l2, double dropout) {
    return new ModelConfig(m.hiddenLayers(), m.batchNorm(), m.activation(), m.weightInit(), m.biasInit(), l2, dropout);
  }
}
