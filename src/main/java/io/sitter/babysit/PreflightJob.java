package io.sitter.babysit;

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
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The preflight checks of CS231n's "babysitting" on a training split, before any training: the
 * untrained network's loss, that regularization raises it, that a small subset can be memorised,
 * and a learning-rate range test. The numbers are computed on the executors (partial loss sums
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
  public static ChecksReport run(SparkSession spark, java.nio.file.Path prepDir, SitterConfig config) {
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

    List<CheckResult> checks = new ArrayList<>();
    checks.addAll(lossChecks(spark, train, source, count, net, plain, numFeatures, numClasses, config));
    checks.add(overfit(train, source, plain, numFeatures, numClasses, config));
    LrProbeCurve curve = lrProbe(train, source, count, plain, numFeatures, numClasses, config);
    checks.add(LrProbeCheck.judge(curve, config.train().learningRate()));
    return new ChecksReport(null, checks, curve);
  }

  private static List<CheckResult> lossChecks(SparkSession spark, Dataset<Row> train, String source, long count,
      MultiLayerNetwork net, NetworkPayload plain, int numFeatures, int numClasses, SitterConfig config) {
    boolean probe = config.model().l2() == 0;
    double l2 = probe ? config.babysit().regularizationProbeL2() : config.model().l2();
    NetworkPayload regularized = new NetworkPayload(
        NetworkFactory.configuration(withRegularization(config.model(), l2, 0.0), config.train(), numFeatures,
            numClasses, config.train().seed()).toJson(),
        plain.params());
    double fraction = Math.min(1.0, 1.2 * config.babysit().sampleSize() / count);
    Dataset<Row> sample = fraction >= 1.0 ? train : train.sample(false, fraction, config.train().seed());

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
    return List.of(
        InitialLossCheck.judge(sums.meanLoss(), numClasses, sums.labelEntropy(), sums.majorityShare(),
            config.babysit().initialLossTolerance()),
        RegularizationCheck.judge(sums.meanLoss(), sums.meanRegularizedLoss(), l2, probe, l2Penalty(net, l2)));
  }

  private static CheckResult overfit(Dataset<Row> train, String source, NetworkPayload plain, int numFeatures,
      int numClasses, SitterConfig config) {
    List<OverfitOutcome> out = randomSubset(train, config.babysit().overfitExamples(), config.train().seed())
        .mapPartitions(new PreflightFunctions.OverfitTask(plain, config.train().learningRate(),
            config.babysit().overfitMaxIterations(), config.babysit().overfitLossTarget(), numFeatures, numClasses,
            source))
        .collect();
    if (out.size() != 1) {
      throw new IllegalStateException("the overfit check ran on " + out.size() + " partitions, expected 1");
    }
    return OverfitCheck.judge(out.get(0), config.babysit().overfitLossTarget(), config.babysit().overfitMaxIterations());
  }

  private static LrProbeCurve lrProbe(Dataset<Row> train, String source, long count, NetworkPayload plain,
      int numFeatures, int numClasses, SitterConfig config) {
    int steps = config.babysit().lrProbeSteps();
    int minibatch = config.train().minibatchSize();
    int examples = (int) Math.min(count, Math.min((long) steps * minibatch, LR_PROBE_MAX_EXAMPLES));
    List<LrProbeOutcome> out = randomSubset(train, examples, config.train().seed() + 1)
        .mapPartitions(new PreflightFunctions.LrProbeTask(plain, config.babysit().lrProbeMin(),
            config.babysit().lrProbeMax(), steps, minibatch, config.train().seed(), numFeatures, numClasses, source))
        .collect();
    if (out.size() != 1) {
      throw new IllegalStateException("the learning-rate probe ran on " + out.size() + " partitions, expected 1");
    }
    return LrProbeCheck.analyse(out.get(0).rates(), out.get(0).losses());
  }

  /**
   * {@code n} rows drawn at random, in one partition. {@code orderBy(rand).limit} plans as Spark's
   * TakeOrderedAndProject: each partition keeps its own top n, so the split is never shuffled or
   * collected as a whole.
   */
  static JavaRDD<Row> randomSubset(Dataset<Row> train, int n, long seed) {
    return train.orderBy(functions.rand(seed)).limit(n).javaRDD().coalesce(1);
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
