package io.sitter.babysit;

import io.sitter.TestFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sitter.GeneratedPrepData;
import io.sitter.GeneratedPrepData.Examples;
import io.sitter.TestSpark;
import io.sitter.config.ConfigLoader;
import io.sitter.config.SitterConfig;
import io.sitter.config.TrainingAbortedException;
import io.sitter.metrics.CheckResult;
import io.sitter.metrics.CheckResult.Status;
import io.sitter.metrics.ChecksReport;
import io.sitter.train.TrainJob;
import io.sitter.train.TrainRequest;
import io.sitter.train.TrainResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The gallery of sick trainings, each a tiny real run (preflight, TrainJob with the
 * babysitter, 2 partitions), diagnosed with the right cause first; and the healthy default raising
 * no warning at all. (scripts/bench/babysit-gallery runs the larger gallery through sitter train.) Verdict numbers are checked against the run's own files or against a forward pass
 * written out by hand from the trained parameters.
 *
 * <p>The class-imbalanced case (initial loss below ln C, explained by the label entropy)
 * needs an output bias set to the class priors, which no config key does; it is
 * {@code PreflightJobTest.anImbalancedSetWithPriorBiasIsExplainedByTheLabelEntropy}.
 */
class BabysitGalleryTest {
  private static final SparkSession SPARK = TestSpark.session();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int FEATURES = 8;
  private static final int CLASSES = 4;
  private static final List<String> SMALL = List.of("model.hiddenLayers=[32, 32]", "train.minibatchSize=32",
      "train.averagingFrequency=2", "train.epochs=3", "babysit.lrProbeSteps=60", "babysit.probeBatchSize=128");

  @TempDir Path tmp;

  record Run(TrainResult result, TrainingAbortedException aborted, ChecksReport checks, String console,
      List<JsonNode> metrics, Examples train) {
    /** The top cause of the ranked diagnosis. */
    String topCause() {
      assertTrue(!checks.diagnosis().isEmpty(), () -> "no diagnosis: " + console);
      return checks.diagnosis().get(0).cause();
    }

    /** Median over the rounds after warm-up of a layer's number in metrics.jsonl, as the monitors read it. */
    double judgedMedian(String layer, String field, double warmupShare) {
      int total = metrics.size();
      int warmup = (int) Math.floor(warmupShare * total);
      double[] xs = metrics.stream().filter(r -> r.get("round").asInt() > warmup)
          .mapToDouble(r -> layer(r, layer).get(field).asDouble()).sorted().toArray();
      return xs.length % 2 == 1 ? xs[xs.length / 2] : 0.5 * (xs[xs.length / 2 - 1] + xs[xs.length / 2]);
    }

    CheckResult check(String name, String layer) {
      return checks.checks().stream()
          .filter(c -> c.check().equals(name) && (layer == null || layer.equals(c.layer())))
          .findFirst().orElseThrow(() -> new AssertionError("no verdict " + name + " " + layer + " in " + checks.checks()));
    }

    List<CheckResult> fired() {
      return checks.checks().stream().filter(c -> c.status() != Status.PASS).toList();
    }

    JsonNode lastRow() {
      return metrics.get(metrics.size() - 1);
    }

    JsonNode layer(JsonNode row, String name) {
      for (JsonNode l : row.get("layers")) {
        if (l.get("layer").asText().equals(name)) {
          return l;
        }
      }
      throw new AssertionError("no layer " + name + " in " + row);
    }
  }

  private static Examples[] blobs(int n, long seed) {
    return GeneratedPrepData.split(GeneratedPrepData.blobs(n, FEATURES, CLASSES, seed), n * 4 / 5, n / 5);
  }

  private Run train(Examples train, Examples val, String... sets) throws Exception {
    Path data = GeneratedPrepData.write(SPARK, tmp.resolve("data"), train, val, null);
    List<String> all = new ArrayList<>(SMALL);
    all.addAll(List.of(sets));
    SitterConfig c = ConfigLoader.defaults(all);
    ChecksReport preflight = PreflightJob.run(SPARK, TestFiles.hadoop(data), c);
    StringWriter console = new StringWriter();
    BabysitListener listener = new BabysitListener(preflight.checks(), preflight.lrProbe(), val.size(),
        new PrintWriter(console));
    Path out = tmp.resolve("run");
    TrainResult result = null;
    TrainingAbortedException aborted = null;
    try {
      result = TrainJob.run(SPARK, new TrainRequest(TestFiles.hadoop(data), TestFiles.hadoop(out), c, 2, TrainRequest.OutputMode.NEW, List.of(listener),
          Map.of("sitter", "test"), new PrintWriter(new StringWriter())));
    } catch (TrainingAbortedException e) {
      aborted = e;
    }
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
      rows.add(JSON.readTree(line));
    }
    return new Run(result, aborted, TestFiles.checks(out.resolve("checks.json")), console.toString(), rows, train);
  }

  private static double epochMeanLoss(Run run, int epoch) {
    return run.metrics().stream().filter(r -> r.get("epoch").asInt() == epoch)
        .mapToDouble(r -> r.get("train_loss").asDouble()).average().orElseThrow();
  }

  /** The first n training examples by index: the trainer's probe batch. */
  private static INDArray probe(Examples train, int n) {
    return Nd4j.createFromArray(Arrays.copyOf(train.features(), Math.min(n, train.size())));
  }

  @Test
  void theHealthyDefaultRaisesNoWarningAtAll() throws Exception {
    Examples[] d = blobs(600, 1);
    // the defaults, on a small net and long enough for blobs to be learned (64 iterations)
    Run run = train(d[0], d[1], "train.epochs=8", "train.averagingFrequency=4");
    assertNull(run.aborted());
    assertEquals(List.of(), run.fired(), run.console());
    assertEquals(List.of(), run.checks().diagnosis());
    assertTrue(run.console().contains("Diagnosis: nothing wrong found."), run.console());
    assertTrue(run.console().contains("checks passed"), run.console());
    // every hidden block got its activation monitors in metrics.jsonl, every round
    for (JsonNode row : run.metrics()) {
      for (String layer : List.of("dense_0", "dense_1")) {
        JsonNode l = run.layer(row, layer);
        assertTrue(l.get("act_std").asDouble() > 0.1, row.toString());
        assertEquals(30, l.get("histogram").get("counts").size());
        int total = 0;
        for (JsonNode count : l.get("histogram").get("counts")) {
          total += count.asInt();
        }
        assertEquals(128 * 32, total, "every probe activation binned once");
      }
    }
  }

  @Test
  void aLearningRateFarTooHighAbortsNamingTheLargestUpdateRatio() throws Exception {
    Examples[] d = blobs(400, 2);
    // plain SGD at rate 1, far above what this net tolerates (the "100x too high")
    Run run = train(d[0], d[1], "train.updater=sgd", "train.learningRate=1", "model.batchNorm=false",
        "model.hiddenLayers=[64, 64, 64]", "train.epochs=5", "babysit.overfitMaxIterations=30");
    assertNotNull(run.aborted(), () -> "100x a healthy rate must diverge: "
        + run.metrics().stream().map(r -> r.get("train_loss").asText()).toList());
    assertNotNull(run.checks().aborted());
    JsonNode last = run.lastRow();
    String largest = null;
    double ratio = -1;
    for (JsonNode l : last.get("layers")) {
      double r = l.get("update_ratio").isTextual() ? Double.POSITIVE_INFINITY : l.get("update_ratio").asDouble();
      if (r > ratio || largest == null) {
        ratio = r;
        largest = l.get("layer").asText();
      }
    }
    assertEquals(largest, run.checks().aborted().layer());
    assertEquals(last.get("round").asInt(), run.checks().aborted().round());
    assertTrue(run.checks().aborted().suggestedLearningRate() < 0.1);
    assertTrue(run.console().startsWith("ABORTED"), run.console());
    assertEquals("lr_too_high", run.topCause(), run.console());
    assertEquals("train.learningRate", run.checks().diagnosis().get(0).change().key());
  }

  @Test
  void aLearningRateFarTooLowBarelyMovesTheLossAndUpdates() throws Exception {
    Examples[] d = blobs(400, 3);
    Run run = train(d[0], d[1], "train.learningRate=1e-6", "babysit.overfitMaxIterations=60");
    assertNull(run.aborted());
    // per-epoch means: each epoch passes over the same examples, so only learning can move them
    double first = epochMeanLoss(run, 1);
    double last = epochMeanLoss(run, 3);
    assertTrue(Math.abs(last - first) < 0.02 * first, first + " -> " + last);
    for (String layer : List.of("dense_0", "dense_1", "output")) {
      CheckResult ratio = run.check(UpdateRatioCheck.NAME, layer);
      assertEquals(Status.WARN, ratio.status());
      assertTrue(ratio.hint().startsWith("Learning rate looks too low"), ratio.hint());
      assertEquals(run.judgedMedian(layer, "update_ratio", 0.2), ratio.value("updateRatio"), 1e-15);
      assertTrue(ratio.value("updateRatio") < 1e-4);
    }
    assertEquals("lr_too_low", run.topCause(), run.console());
    assertEquals(Status.FAIL, run.check(OverfitCheck.NAME, null).status());
    assertEquals(Status.WARN, run.check(LrProbeCheck.NAME, null).status());
  }

  @Test
  void zeroInitLeavesUnitsIdenticalAndFailsToLearn() throws Exception {
    Examples[] d = blobs(400, 4);
    Run run = train(d[0], d[1], "model.weightInit=zero", "model.batchNorm=false", "model.activation=tanh",
        "babysit.overfitMaxIterations=60");
    assertEquals(Status.WARN, run.check(SymmetryCheck.NAME, "dense_0").status());
    assertEquals(1.0, run.check(SymmetryCheck.NAME, "dense_1").value("distinctUnits"));
    assertEquals(Status.FAIL, run.check(RegularizationCheck.NAME, null).status());
    assertEquals(Status.FAIL, run.check(OverfitCheck.NAME, null).status());
    // one cause; identical units and the L2 that cannot raise the loss are its evidence
    assertEquals("symmetric_init", run.topCause(), run.console());
    assertEquals(1, run.checks().diagnosis().size(), run.console());
    assertTrue(run.console().startsWith("Diagnosis: symmetric_init."), run.console());
    // by hand: every column of the trained first layer's weights is the same
    INDArray w = run.result().model().getParam("0_W");
    for (int u = 1; u < w.columns(); u++) {
      assertEquals(w.getColumn(0), w.getColumn(u));
    }
  }

  @Test
  void smallInitInADeepTanhNetVanishesLayerByLayer() throws Exception {
    Examples[] d = blobs(400, 5);
    Run run = train(d[0], d[1], "model.weightInit=small", "model.batchNorm=false", "model.activation=tanh",
        "model.hiddenLayers=[32, 32, 32, 32]", "train.epochs=1", "babysit.overfitMaxIterations=30");
    CheckResult vanish = run.check(ActivationScaleCheck.NAME, "dense_3");
    assertEquals(Status.WARN, vanish.status(), vanish.hint());
    assertEquals(run.lastRow().get("round").asInt(), vanish.lastRound(), "still vanishing at the end");
    assertEquals("init_scale", run.topCause(), run.console());
    // the stds recomputed by a hand-written forward pass of the trained net on the probe batch
    MultiLayerNetwork net = run.result().model();
    INDArray h = probe(run.train(), 128);
    for (int i = 0; i < 4; i++) {
      h = Transforms.tanh(h.mmul(net.getParam(i + "_W")).addRowVector(net.getParam(i + "_b")), true);
      // each unit's spread across the probe examples, root mean square over units
      double rows = h.rows();
      INDArray perUnit = h.std(0).muli(Math.sqrt((rows - 1) / rows));
      double std = Math.sqrt(perUnit.mul(perUnit).meanNumber().doubleValue());
      assertEquals(std, vanish.value("std[dense_" + i + "]"), 1e-9 + 1e-3 * std);
    }
  }

  @Test
  void aLargeNegativeBiasKillsReluUnits() throws Exception {
    Examples[] d = blobs(400, 6);
    Run run = train(d[0], d[1], "model.biasInit=-6", "model.batchNorm=false", "babysit.overfitMaxIterations=30",
        "train.epochs=1");
    CheckResult dead = run.check(DeadUnitsCheck.NAME, "dense_0");
    assertEquals(Status.WARN, dead.status(), dead.hint());
    MultiLayerNetwork net = run.result().model();
    INDArray z = probe(run.train(), 128).mmul(net.getParam("0_W")).addRowVector(net.getParam("0_b"));
    long silent = Arrays.stream(z.max(0).toDoubleVector()).filter(v -> v <= 0).count();
    assertEquals(silent / 32.0, run.layer(run.lastRow(), "dense_0").get("dead_fraction").asDouble(), 1e-12);
    assertEquals(run.judgedMedian("dense_0", "dead_fraction", 0.2), dead.value("deadFraction"), 1e-12);
    assertEquals("dead_relu", run.topCause(), run.console());
    assertEquals("model.biasInit", run.checks().diagnosis().get(0).change().key());
  }

  @Test
  void hugeL2DominatesTheLossAndUnderfits() throws Exception {
    Examples[] d = blobs(400, 7);
    Run run = train(d[0], d[1], "model.l2=5");
    CheckResult reg = run.check(RegularizationCheck.NAME, null);
    assertEquals(Status.WARN, reg.status(), reg.hint());
    assertTrue(reg.hint().startsWith("Regularization dominates the loss"), reg.hint());
    CheckResult under = run.check(FitCheck.UNDERFITTING, null);
    assertEquals(Status.WARN, under.status(), run.console());
    JsonNode lastEpochEnd = run.metrics().stream().filter(r -> !r.get("val_accuracy").isNull())
        .reduce((a, b) -> b).orElseThrow();
    assertEquals(lastEpochEnd.get("val_accuracy").asDouble(), under.value("valAccuracy"), 1e-12);
    // the underfitting is the L2's doing, shown under it
    assertEquals("too_much_regularization", run.topCause(), run.console());
    assertTrue(run.checks().diagnosis().get(0).evidence().stream().anyMatch(e -> e.startsWith("explains model_too_small")),
        run.console());
  }

  @Test
  void shuffledLabelsStillOverfitTheSubsetButValidationStaysAtChance() throws Exception {
    Examples[] d = blobs(600, 8);
    Run run = train(shuffle(d[0], 1), shuffle(d[1], 2), "train.learningRate=0.01");
    assertEquals(Status.PASS, run.check(OverfitCheck.NAME, null).status());
    CheckResult chance = run.check(FitCheck.CHANCE, null);
    assertEquals(Status.WARN, chance.status(), run.console());
    // the binomial tail recomputed term by term: P(X >= k), X ~ Binomial(n, 1/4)
    int n = d[1].size();
    long k = Math.round(chance.value("valAccuracy") * n);
    double tail = 0;
    for (long i = k; i <= n; i++) {
      double logTerm = 0;
      for (long j = 1; j <= i; j++) {
        logTerm += Math.log((double) (n - i + j) / j);
      }
      tail += Math.exp(logTerm + i * Math.log(0.25) + (n - i) * Math.log(0.75));
    }
    double p = k <= n * 0.25 ? 1.0 : tail;
    assertEquals(p, chance.value("pValue"), 1e-9);
    assertTrue(p > chance.value("chanceAlpha"), "p " + p);
    // the gap that looks like overfitting is the labels' doing
    assertEquals("labels_without_signal", run.topCause(), run.console());
  }

  private static Examples shuffle(Examples e, long seed) {
    List<Integer> labels = Arrays.stream(e.labels()).boxed().collect(Collectors.toList());
    java.util.Collections.shuffle(labels, new java.util.Random(seed));
    return new Examples(e.features(), labels.stream().mapToInt(Integer::intValue).toArray(), e.numClasses());
  }
}
