package io.sitter.babysit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.TestSpark;
import io.sitter.config.BadInputException;
import io.sitter.config.ConfigLoader;
import io.sitter.config.SitterConfig;
import io.sitter.metrics.CheckResult;
import io.sitter.metrics.CheckResult.Status;
import io.sitter.metrics.ChecksReport;
import io.sitter.model.NetworkFactory;
import io.sitter.model.NetworkPayload;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The preflight checks on generated data, in Spark local mode, each verdict's numbers recomputed
 * another way (by hand from the network's output probabilities and weights).
 */
class PreflightJobTest {
  private static final int FEATURES = 10;
  private static final int CLASSES = 4;
  private static final List<String> SMALL = List.of("model.hiddenLayers=[32, 32]", "train.minibatchSize=32",
      "babysit.lrProbeSteps=60", "babysit.lrProbeMin=1e-5");

  private static SitterConfig config(String... more) {
    List<String> sets = new ArrayList<>(SMALL);
    sets.addAll(List.of(more));
    return ConfigLoader.defaults(sets);
  }

  private static CheckResult find(ChecksReport r, String check) {
    return r.checks().stream().filter(c -> c.check().equals(check)).findFirst().orElseThrow();
  }

  @Test
  void healthyBlobsPassAndTheLossesMatchAHandComputation() {
    SparkSession spark = TestSpark.session();
    List<GeneratedData.Example> rows = GeneratedData.blobs(300, FEATURES, CLASSES, 1);
    // One partition and one minibatch of all rows, so BatchNorm's batch statistics are those of
    // the whole set and the hand computation below sees exactly what the executor saw.
    SitterConfig c = config("train.minibatchSize=512", "babysit.sampleSize=1000", "model.l2=0.01");
    ChecksReport r = PreflightJob.run(spark, GeneratedData.frame(spark, rows, 1), "gen", FEATURES, CLASSES, c);

    for (CheckResult check : r.checks()) {
      assertEquals(Status.PASS, check.status(), () -> check.check() + ": " + check.hint());
    }
    MultiLayerNetwork net = NetworkFactory.build(
        PreflightJob.withRegularization(c.model(), 0, 0), c.train(), FEATURES, CLASSES, c.train().seed());
    float[][] x = new float[rows.size()][];
    int[] y = new int[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      x[i] = rows.get(i).features();
      y[i] = rows.get(i).label();
    }
    INDArray p = net.output(org.nd4j.linalg.factory.Nd4j.createFromArray(x), true);
    double loss = 0;
    for (int i = 0; i < y.length; i++) {
      loss -= Math.log(p.getDouble(i, y[i]));
    }
    loss /= y.length;
    CheckResult initial = find(r, InitialLossCheck.NAME);
    assertEquals(loss, initial.value("loss"), 1e-5);
    // what the init's own logits give for labels independent of them: sum_c prior_c * mean(-ln p_c)
    double expected = 0;
    for (int k = 0; k < CLASSES; k++) {
      int label = k;
      double prior = java.util.Arrays.stream(y).filter(v -> v == label).count() / (double) y.length;
      double meanNegLog = 0;
      for (int i = 0; i < y.length; i++) {
        meanNegLog -= Math.log(Math.max(p.getDouble(i, k), 1e-10));
      }
      expected += prior * meanNegLog / y.length;
    }
    assertEquals(expected, initial.value("expected"), 1e-5);

    double sumSquares = 0;
    for (String w : List.of("0_W", "3_W", "6_W")) {
      for (float v : net.getParam(w).data().asFloat()) {
        sumSquares += (double) v * v;
      }
    }
    CheckResult reg = find(r, RegularizationCheck.NAME);
    assertEquals(0.01 / 2 * sumSquares, reg.value("expectedPenalty"), 1e-6);
    assertEquals(0.01 / 2 * sumSquares, reg.value("penalty"), 1e-4, "DL4J's score adds l2/2 * sum(W^2)");
    assertEquals(0.0, reg.value("probe"));

    CheckResult overfit = find(r, OverfitCheck.NAME);
    assertEquals(20, overfit.value("examples"));
    assertTrue(overfit.value("finalLoss") <= c.babysit().overfitLossTarget());
    assertNotNull(r.lrProbe());
    assertEquals(r.lrProbe().rates().size(), r.lrProbe().losses().size());
    assertEquals(1e-5, r.lrProbe().rates().get(0), 1e-12);
  }

  @Test
  void shuffledLabelsStillOverfitASmallSubset() {
    SparkSession spark = TestSpark.session();
    List<GeneratedData.Example> rows = GeneratedData.shuffledLabels(GeneratedData.blobs(200, FEATURES, CLASSES, 2), 3);
    ChecksReport r = PreflightJob.run(spark, GeneratedData.frame(spark, rows, 2), "gen", FEATURES, CLASSES,
        config("train.learningRate=0.01", "babysit.lrProbeSteps=10"));
    CheckResult overfit = find(r, OverfitCheck.NAME);
    assertEquals(Status.PASS, overfit.status(), overfit.hint());
    assertEquals(1.0, overfit.value("finalAccuracy"));
    assertEquals(1.0, overfit.value("bestAccuracy"));
  }

  @Test
  void aLearningRateNearZeroFailsTheOverfitAndIsCalledTooLow() {
    SparkSession spark = TestSpark.session();
    ChecksReport r = PreflightJob.run(spark, GeneratedData.frame(spark, GeneratedData.blobs(200, FEATURES, CLASSES, 4), 2),
        "gen", FEATURES, CLASSES, config("train.learningRate=1e-7", "babysit.overfitMaxIterations=100",
            "babysit.lrProbeMin=1e-8", "babysit.lrProbeSteps=80"));
    CheckResult overfit = find(r, OverfitCheck.NAME);
    assertEquals(Status.FAIL, overfit.status());
    assertEquals(100, overfit.value("iterations"));
    assertTrue(overfit.value("finalLoss") > OverfitCheck.BARELY_MOVED * overfit.value("initialLoss"));
    assertTrue(overfit.hint().contains("too low"), overfit.hint());
    CheckResult lr = find(r, LrProbeCheck.NAME);
    assertEquals(Status.WARN, lr.status(), lr.hint());
    assertTrue(lr.hint().startsWith("Learning rate looks too low"), lr.hint());
    // The change up to the configured rate, recomputed from the written curve.
    int at = 0;
    while (at + 1 < r.lrProbe().rates().size() && r.lrProbe().rates().get(at + 1) <= 1e-7) {
      at++;
    }
    assertEquals(r.lrProbe().smoothed().get(at) / r.lrProbe().smoothed().get(0) - 1, lr.value("lossChangeUpToRate"), 1e-12);
  }

  @Test
  void aHugeLearningRateExplodesInTheRangeTest() {
    SparkSession spark = TestSpark.session();
    ChecksReport r = PreflightJob.run(spark, GeneratedData.frame(spark, GeneratedData.blobs(200, FEATURES, CLASSES, 5), 2),
        "gen", FEATURES, CLASSES, config("train.updater=sgd", "train.learningRate=10", "model.batchNorm=false",
            "babysit.overfitMaxIterations=20", "babysit.lrProbeMax=10", "babysit.lrProbeSteps=80"));
    CheckResult lr = find(r, LrProbeCheck.NAME);
    assertNotNull(r.lrProbe().explodes(), "the loss must explode somewhere up to lr 10 with plain SGD");
    assertEquals(Status.FAIL, lr.status(), lr.hint());
    assertTrue(r.lrProbe().suggested() <= r.lrProbe().explodes() / 10);
    // The explosion point recomputed from the raw losses with the same criterion.
    SmoothedLoss reading = new SmoothedLoss();
    int i = 0;
    while (!reading.exploded()) {
      reading.add(r.lrProbe().losses().get(i++));
    }
    assertEquals(r.lrProbe().rates().get(i - 1), r.lrProbe().explodes());
  }

  @Test
  void conflictingLabelsOnIdenticalFeaturesAreCalledADataBug() {
    SparkSession spark = TestSpark.session();
    List<GeneratedData.Example> blobs = GeneratedData.blobs(4, FEATURES, CLASSES, 6);
    List<GeneratedData.Example> rows = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      // four distinct inputs, each seen with every label: no classifier gets more than 1/4 right
      rows.add(new GeneratedData.Example(i, blobs.get(i % 4).features(), (i / 4) % CLASSES));
    }
    ChecksReport r = PreflightJob.run(spark, GeneratedData.frame(spark, rows, 2), "gen", FEATURES, CLASSES,
        config("train.learningRate=0.01", "babysit.overfitMaxIterations=50", "babysit.lrProbeSteps=10"));
    CheckResult overfit = find(r, OverfitCheck.NAME);
    assertEquals(Status.FAIL, overfit.status());
    assertTrue(overfit.hint().startsWith("Data or label bug"), overfit.hint());
    assertTrue(overfit.value("bestAccuracy") < 1.0);
    assertTrue(overfit.value("finalAccuracy") <= overfit.value("bestAccuracy"));
  }

  @Test
  void zeroInitFailsTheRegularizationAndOverfitChecks() {
    SparkSession spark = TestSpark.session();
    ChecksReport r = PreflightJob.run(spark, GeneratedData.frame(spark, GeneratedData.blobs(200, FEATURES, CLASSES, 7), 2),
        "gen", FEATURES, CLASSES, config("model.weightInit=zero", "train.learningRate=0.01",
            "babysit.overfitMaxIterations=100", "babysit.lrProbeSteps=10"));
    CheckResult reg = find(r, RegularizationCheck.NAME);
    assertEquals(Status.FAIL, reg.status());
    assertEquals(0.0, reg.value("expectedPenalty"));
    assertTrue(reg.hint().contains("all weights are zero"), reg.hint());
    CheckResult overfit = find(r, OverfitCheck.NAME);
    assertEquals(Status.FAIL, overfit.status(), overfit.hint());
    assertTrue(overfit.value("finalAccuracy") < 1.0);
    // Symmetric units learn nothing but the class frequencies: the loss stays at about ln C.
    assertEquals(Math.log(CLASSES), find(r, InitialLossCheck.NAME).value("loss"), 1e-6);
  }

  /**
   * An untrained net whose output bias holds the log class priors (the "init well" advice for
   * unbalanced classes) starts at the label entropy, below ln C: that is what its own logits give,
   * so the initial-loss check passes, and the class-balance check names the imbalance.
   */
  @Test
  void anImbalancedSetWithPriorBiasIsExpectedByItsOwnLogitsAndNamedByTheBalanceCheck() {
    SparkSession spark = TestSpark.session();
    double[] weights = {0.85, 0.05, 0.05, 0.05};
    List<GeneratedData.Example> rows = GeneratedData.imbalanced(400, FEATURES, weights, 8);
    SitterConfig c = config("model.weightInit=small", "model.batchNorm=false");
    MultiLayerNetwork net = NetworkFactory.build(c.model(), c.train(), FEATURES, CLASSES, 1);
    long[] counts = new long[CLASSES];
    rows.forEach(e -> counts[e.label()]++);
    double entropy = 0;
    INDArray bias = net.getParam("2_b");
    for (int k = 0; k < CLASSES; k++) {
      double prior = (double) counts[k] / rows.size();
      entropy -= prior * Math.log(prior);
      bias.putScalar(k, Math.log(prior));
    }
    NetworkPayload payload = NetworkPayload.of(net);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<NetworkPayload> b = jsc.broadcast(payload);
    Dataset<Row> frame = GeneratedData.frame(spark, rows, 3);
    LossAccumulator sums = frame.javaRDD()
        .mapPartitions(new PreflightFunctions.LossPartition(b, b, FEATURES, CLASSES, 64, "gen"))
        .reduce(LossAccumulator::merge);
    assertEquals(rows.size(), sums.count());
    assertEquals(entropy, sums.labelEntropy(), 1e-12);
    assertEquals(entropy, sums.meanLoss(), 0.02, "0.01-scale weights: the output is almost exactly the priors");
    // labels independent of the (almost constant) outputs: expected sum_c prior_c * -ln prior_c = H
    assertEquals(entropy, sums.expectedLoss(), 0.02);
    CheckResult verdict = InitialLossCheck.judge(sums.meanLoss(), sums.expectedLoss(), CLASSES, 0.25, 2.0);
    assertEquals(Status.PASS, verdict.status(), verdict.hint());
    assertTrue(sums.meanLoss() < 0.75 * Math.log(CLASSES));
    assertArrayEquals(counts, sums.classCounts());
    long max = java.util.Arrays.stream(counts).max().orElseThrow();
    long min = java.util.Arrays.stream(counts).min().orElseThrow();
    CheckResult balance = ClassBalanceCheck.judge(sums.classCounts(), c.babysit().imbalanceRatio());
    assertEquals((double) max / min, balance.value("ratio"), 1e-12);
    assertEquals((double) max / min > c.babysit().imbalanceRatio() ? Status.WARN : Status.PASS, balance.status());
  }

  @Test
  void emptySplitAndMalformedRowsAreBadInputNamingTheRow() {
    SparkSession spark = TestSpark.session();
    SitterConfig c = config();
    Dataset<Row> empty = spark.createDataFrame(List.of(), GeneratedData.SCHEMA);
    BadInputException e = assertThrows(BadInputException.class,
        () -> PreflightJob.run(spark, empty, "prep/train", FEATURES, CLASSES, c));
    assertTrue(e.getMessage().contains("prep/train"), e.getMessage());

    List<Row> rows = new ArrayList<>(GeneratedData.blobs(50, FEATURES, CLASSES, 9).stream()
        .map(GeneratedData.Example::row).toList());
    rows.set(17, RowFactory.create(17L, new Float[] {1f, 2f}, 0));
    Exception thrown = assertThrows(Exception.class,
        () -> PreflightJob.run(spark, GeneratedData.rows(spark, rows, 2), "prep/train", FEATURES, CLASSES, c));
    String message = BadInputException.find(thrown).orElseThrow().getMessage();
    assertTrue(message.contains("prep/train") && message.contains("row index=17") && message.contains("2 features"),
        message);
  }
}
