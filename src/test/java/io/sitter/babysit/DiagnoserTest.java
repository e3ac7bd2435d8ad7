package io.sitter.babysit;

import static io.sitter.babysit.SyntheticRuns.config;
import static io.sitter.babysit.SyntheticRuns.deadRelu;
import static io.sitter.babysit.SyntheticRuns.healthyRelu;
import static io.sitter.babysit.SyntheticRuns.symmetric;
import static io.sitter.babysit.SyntheticRuns.tanh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.config.ModelConfig.Activation;
import io.sitter.config.SitterConfig;
import io.sitter.metrics.AbortVerdict;
import io.sitter.metrics.CheckResult;
import io.sitter.metrics.CheckResult.Status;
import io.sitter.metrics.ChecksReport;
import io.sitter.metrics.DiagnosisItem;
import io.sitter.metrics.EvaluationResult.PerClass;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ranked diagnosis from synthetic metric streams: every round through a real {@link
 * BabysitMonitor}, preflight verdicts from the real checks on hand-made numbers, then {@link
 * Diagnoser}. One cause at a time, then mixtures where one cause explains another's symptoms.
 */
class DiagnoserTest {
  private static final double LN10 = Math.log(10);

  /** 20 rounds, 2 per epoch: the loss falling from ln 10 as a healthy run's does. */
  private static SyntheticRuns.Stream healthy(SitterConfig c) {
    SyntheticRuns.Stream s = new SyntheticRuns.Stream(c, 20, 2);
    for (int r = 1; r <= 20; r++) {
      double acc = 0.5 + 0.02 * r;
      s.round(LN10 * Math.exp(-0.1 * r), 1e-3, 0.3, List.of(healthyRelu("dense_0", 1), healthyRelu("dense_1", 1)), acc,
          acc - 0.02);
    }
    return s;
  }

  private static List<DiagnosisItem> diagnose(SyntheticRuns.Stream s, List<CheckResult> preflight, long valExamples) {
    BabysitMonitor m = s.monitor(valExamples, LN10, 10);
    List<CheckResult> all = new ArrayList<>(preflight);
    all.addAll(m.results());
    return Diagnoser.diagnose(all, null, s.config);
  }

  private static List<String> causes(List<DiagnosisItem> d) {
    return d.stream().map(DiagnosisItem::cause).toList();
  }

  @Test
  void aHealthyStreamIsSilentEvenWithALargeUpdateRatioDuringWarmUp() {
    SitterConfig c = config();
    SyntheticRuns.Stream s = new SyntheticRuns.Stream(c, 20, 2);
    for (int r = 1; r <= 20; r++) {
      // Adam's first steps: ratios of 5e-2 in the warm-up rounds (the first 20%), then healthy
      double ratio = r <= 4 ? 5e-2 : 1e-3;
      s.round(LN10 * Math.exp(-0.1 * r), ratio, 0.3, List.of(healthyRelu("dense_0", 1), healthyRelu("dense_1", 1)),
          0.9, 0.88);
    }
    BabysitMonitor m = s.monitor(1000, LN10, 10);
    assertEquals(List.of(), m.results().stream().filter(r -> r.status() != Status.PASS).toList());
    assertEquals(List.of(), Diagnoser.diagnose(m.results(), null, c));
  }

  @Test
  void adamWithHighUpdateRatiosAndAFallingLossIsNotToldToLowerItsRate() {
    SitterConfig c = config("train.learningRate=0.05");
    SyntheticRuns.Stream s = new SyntheticRuns.Stream(c, 20, 2);
    for (int r = 1; r <= 20; r++) {
      s.round(LN10 * Math.exp(-0.15 * r), 8e-2, 0.3, List.of(healthyRelu("dense_0", 1), healthyRelu("dense_1", 1)),
          0.99, 0.98);
    }
    assertEquals(List.of(), diagnose(s, List.of(), 1000));
  }

  @Test
  void anOscillatingLossWithLargeUpdatesIsARateTooHigh() {
    SitterConfig c = config("train.updater=sgd", "train.learningRate=0.5");
    SyntheticRuns.Stream s = new SyntheticRuns.Stream(c, 20, 2);
    for (int r = 1; r <= 20; r++) {
      s.round(r % 2 == 0 ? 3.2 : 1.6, 4e-2, 0.3, List.of(healthyRelu("dense_0", 1), healthyRelu("dense_1", 1)), 0.3, 0.3);
    }
    List<DiagnosisItem> d = diagnose(s, List.of(), 1000);
    assertEquals("lr_too_high", d.get(0).cause(), d.toString());
    // the underfitting it causes is shown under it, not as a cause of its own
    assertEquals(List.of("lr_too_high"), causes(d));
    assertTrue(d.get(0).evidence().stream().anyMatch(e -> e.startsWith("oscillating_loss")), d.get(0).evidence().toString());
    assertTrue(d.get(0).evidence().stream().anyMatch(e -> e.startsWith("explains model_too_small: underfitting")),
        d.get(0).evidence().toString());
    assertEquals("train.learningRate", d.get(0).change().key());
    // median ratio 4e-2: 0.5 * 1e-3 / 4e-2 = 0.0125 -> 1e-2
    assertEquals("1e-2", d.get(0).change().value());
  }

  @Test
  void anAbortIsARateTooHighUnlessTheInputsExplainIt() {
    SitterConfig c = config("model.batchNorm=false");
    AbortVerdict abort = AbortRule.judge(3, Double.NaN, LN10, java.util.Map.of("dense_0", 0.5), 1e-3, 3).orElseThrow();
    List<DiagnosisItem> alone = Diagnoser.diagnose(List.of(), abort, c);
    assertEquals(List.of("lr_too_high"), causes(alone));
    assertEquals(Numbers.format(abort.suggestedLearningRate()), alone.get(0).change().value());
    CheckResult raw = InputScaleCheck.judge(4000, 3, c.babysit().inputScaleMax());
    List<DiagnosisItem> withRaw = Diagnoser.diagnose(List.of(raw), abort, c);
    assertEquals(List.of("unnormalized_input"), causes(withRaw));
    assertEquals("prep --mode", withRaw.get(0).change().key());
    assertTrue(withRaw.get(0).evidence().stream().anyMatch(e -> e.startsWith("explains lr_too_high: abort")),
        withRaw.get(0).evidence().toString());
  }

  @Test
  void aFlatLossWithTinyUpdatesIsARateTooLow() {
    SitterConfig c = config("train.learningRate=1e-6");
    SyntheticRuns.Stream s = new SyntheticRuns.Stream(c, 20, 2);
    for (int r = 1; r <= 20; r++) {
      s.round(LN10 - 1e-4 * r, 1e-6, 0.3, List.of(healthyRelu("dense_0", 1), healthyRelu("dense_1", 1)), 0.2, 0.2);
    }
    List<DiagnosisItem> d = diagnose(s, List.of(), 1000);
    assertEquals(List.of("lr_too_low"), causes(d), d.toString());
    // 1e-6 * min(1000, 1e-3 / 1e-6) = 1e-3
    assertEquals("1e-3", d.get(0).change().value());
  }

  @Test
  void zeroInitExplainsIdenticalUnitsL2ThatDoesNotRaiseTheLossAndChanceAccuracy() {
    SitterConfig c = config("model.weightInit=zero", "model.batchNorm=false", "model.activation=tanh");
    SyntheticRuns.Stream s = new SyntheticRuns.Stream(c, 20, 2);
    for (int r = 1; r <= 20; r++) {
      s.round(LN10, Double.NaN, 0.0, List.of(symmetric("dense_0", Activation.TANH), symmetric("dense_1", Activation.TANH)),
          0.1, 0.1);
    }
    CheckResult l2 = RegularizationCheck.judge(LN10, LN10, 0.1, true, 0.0);
    List<DiagnosisItem> d = diagnose(s, List.of(l2), 1000);
    assertEquals(List.of("symmetric_init"), causes(d), d.toString());
    assertEquals("model.weightInit", d.get(0).change().key());
    assertEquals("xavier", d.get(0).change().value());
    List<String> ev = d.get(0).evidence();
    assertTrue(ev.stream().anyMatch(e -> e.startsWith("regularization")), ev.toString());
    assertTrue(ev.stream().anyMatch(e -> e.startsWith("symmetric_units [dense_0]")), ev.toString());
    assertTrue(ev.stream().anyMatch(e -> e.startsWith("explains model_too_small: underfitting")), ev.toString());
  }

  @Test
  void aHugeL2ExplainsUnderfittingAndLargeUpdateRatios() {
    // plain SGD: there a large ratio in a plateau does point at the rate (with Adam it would not)
    SitterConfig c = config("model.l2=5", "train.updater=sgd");
    SyntheticRuns.Stream s = new SyntheticRuns.Stream(c, 20, 2);
    for (int r = 1; r <= 20; r++) {
      s.round(LN10 * (1 - 0.001 * r), 5e-2, 0.3, List.of(healthyRelu("dense_0", 1), healthyRelu("dense_1", 1)), 0.3,
          0.3);
    }
    CheckResult l2 = RegularizationCheck.judge(2.3, 60.3, 5, false, 58.0);
    List<DiagnosisItem> d = diagnose(s, List.of(l2), 1000);
    assertEquals(List.of("too_much_regularization"), causes(d), d.toString());
    List<String> ev = d.get(0).evidence();
    assertTrue(ev.stream().anyMatch(e -> e.startsWith("explains lr_too_high: update_ratio")), ev.toString());
    assertTrue(ev.stream().anyMatch(e -> e.startsWith("explains model_too_small: underfitting")), ev.toString());
    assertEquals("model.l2", d.get(0).change().key());
    assertEquals(Numbers.format(l2.value("suggestedL2")), d.get(0).change().value());
  }

  @Test
  void withAdamALargeRatioInAPlateauIsNotBlamedOnTheRate() {
    // a 0.01-scale init under Adam: steps of about lr are large next to the tiny weights
    SitterConfig c = config("model.weightInit=small", "model.batchNorm=false", "model.activation=tanh");
    SyntheticRuns.Stream s = new SyntheticRuns.Stream(c, 20, 2);
    for (int r = 1; r <= 20; r++) {
      s.round(LN10, 5e-2, 1e-5, List.of(tanh("dense_0", 0, 0.06), tanh("dense_1", 0, 0.006)), 0.1, 0.1);
    }
    List<DiagnosisItem> d = diagnose(s, List.of(), 1000);
    assertEquals("init_scale", d.get(0).cause(), d.toString());
    assertTrue(causes(d).stream().noneMatch("lr_too_high"::equals), d.toString());
  }

  @Test
  void vanishingGradientsAreAnInitScaleProblem() {
    SitterConfig c = config("model.batchNorm=false", "model.activation=sigmoid");
    SyntheticRuns.Stream s = new SyntheticRuns.Stream(c, 20, 2);
    for (int r = 1; r <= 20; r++) {
      s.round(0.69 - 0.001 * r, 1e-3, 1e-5, List.of(healthyRelu("dense_0", 1), healthyRelu("dense_1", 1)), 0.5, 0.5);
    }
    List<DiagnosisItem> d = diagnose(s, List.of(), 1000);
    assertEquals("init_scale", d.get(0).cause(), d.toString());
    assertEquals(List.of("init_scale"), causes(d), "its underfitting is explained by it");
    assertEquals("model.batchNorm", d.get(0).change().key());
  }

  @Test
  void deadUnitsAndSaturationNameTheirLayers() {
    SitterConfig relu = config("model.batchNorm=false", "model.biasInit=-6");
    SyntheticRuns.Stream dead = new SyntheticRuns.Stream(relu, 10, 2);
    for (int r = 1; r <= 10; r++) {
      dead.round(LN10 * Math.exp(-0.05 * r), 1e-3, 0.3, List.of(deadRelu("dense_0"), healthyRelu("dense_1", 1)), 0.8, 0.8);
    }
    List<DiagnosisItem> d = diagnose(dead, List.of(), 1000);
    assertEquals(List.of("dead_relu"), causes(d), d.toString());
    assertEquals("model.biasInit", d.get(0).change().key());
    assertTrue(d.get(0).evidence().get(0).startsWith("dead_units [dense_0]"), d.get(0).evidence().toString());

    SitterConfig t = config("model.batchNorm=false", "model.activation=tanh");
    SyntheticRuns.Stream sat = new SyntheticRuns.Stream(t, 10, 2);
    for (int r = 1; r <= 10; r++) {
      sat.round(LN10 * Math.exp(-0.05 * r), 1e-3, 0.3, List.of(tanh("dense_0", 0.75, 0.3), tanh("dense_1", 0, 0.3)), 0.8,
          0.8);
    }
    List<DiagnosisItem> ds = diagnose(sat, List.of(), 1000);
    assertEquals(List.of("saturation"), causes(ds), ds.toString());
    assertEquals("model.batchNorm", ds.get(0).change().key());
  }

  @Test
  void overfittingUnderfittingAndLabelsWithoutSignalAreToldApartByTheBinomialTest() {
    SitterConfig c = config();
    // train 0.99, validation 0.80: overfitting, labels fine
    SyntheticRuns.Stream over = fitStream(c, 0.99, 0.80);
    assertEquals(List.of("overfitting"), causes(diagnose(over, List.of(), 500)));
    // 0.40 and 0.39: underfitting
    assertEquals(List.of("model_too_small"), causes(diagnose(fitStream(c, 0.40, 0.39), List.of(), 500)));
    // train 0.6, validation 0.11 of 500 at 10 classes: P(X >= 55 | 500, 0.1) = 0.26, chance; overfitting explained
    List<DiagnosisItem> labels = diagnose(fitStream(c, 0.6, 0.11), List.of(), 500);
    assertEquals(List.of("labels_without_signal"), causes(labels), labels.toString());
    assertTrue(labels.get(0).evidence().stream().anyMatch(e -> e.startsWith("explains overfitting")),
        labels.get(0).evidence().toString());
    // validation 0.15 of 5000: far above chance by the test (p ~ 1e-30), so these labels carry signal
    assertEquals(List.of("overfitting"), causes(diagnose(fitStream(c, 0.6, 0.15), List.of(), 5000)));
  }

  private static SyntheticRuns.Stream fitStream(SitterConfig c, double train, double val) {
    SyntheticRuns.Stream s = new SyntheticRuns.Stream(c, 10, 2);
    for (int r = 1; r <= 10; r++) {
      s.round(LN10 * Math.exp(-0.1 * r), 1e-3, 0.3, List.of(healthyRelu("dense_0", 1), healthyRelu("dense_1", 1)), train,
          val);
    }
    return s;
  }

  @Test
  void chanceAccuracyIsNotALabelProblemWhenTheNetCouldNotFitTheSubset() {
    // the gallery's one-unit-wide net on digits: it could not memorise 20 examples, ended at 0.145
    // validation accuracy of 180 (p = 3.4e-2 against chance 0.1), and was told to check its labels
    SitterConfig c = config("model.hiddenLayers=[1]");
    CheckResult weak = OverfitCheck.judge(new OverfitOutcome(20, 300, 2.66, 1.84, 0.35, 1.0, 1e-3), 0.05, 300);
    List<DiagnosisItem> d = diagnose(fitStream(c, 0.129, 0.145), List.of(weak), 180);
    assertEquals(List.of("model_too_small"), causes(d), d.toString());
    assertTrue(d.get(0).evidence().stream().anyMatch(e -> e.startsWith("chance_accuracy")), d.get(0).evidence().toString());
    assertEquals("model.hiddenLayers", d.get(0).change().key());
    // the same stream after a subset the net did memorise: then the labels are to blame
    CheckResult fitted = OverfitCheck.judge(new OverfitOutcome(20, 120, 2.66, 0.04, 1.0, 1.0, 1e-3), 0.05, 300);
    assertEquals("labels_without_signal", diagnose(fitStream(c, 0.129, 0.145), List.of(fitted), 180).get(0).cause());
    // and conflicting labels in the subset itself remain a label problem
    CheckResult conflicting = OverfitCheck.judge(new OverfitOutcome(20, 300, 2.66, 0.9, 0.7, 0.75, 1e-3), 0.05, 300);
    assertEquals("labels_without_signal",
        diagnose(fitStream(c, 0.129, 0.145), List.of(conflicting), 180).get(0).cause());
  }

  @Test
  void aVanishingInitThatTrainingRepairsInScaleButNotInAccuracyIsInitScale() {
    // the gallery's 4-layer tanh net with a 0.01 init: Adam grows the activations back within the
    // first round, so the judged rounds look sound, but it ends at 0.54 on four easy blobs
    SitterConfig c = config("model.weightInit=small", "model.batchNorm=false", "model.activation=tanh",
        "model.hiddenLayers=[8,8,8]");
    List<ActivationStats> init = List.of(tanh("dense_0", 0, 0.08), tanh("dense_1", 0, 5e-3), tanh("dense_2", 0, 3e-4));
    List<DiagnosisItem> d = diagnose(recovered(c, 0.52, 0.54).init(init), List.of(), 200);
    assertEquals(List.of("init_scale"), causes(d), d.toString());
    assertTrue(d.get(0).evidence().stream().anyMatch(e -> e.startsWith("activation_scale [dense_2]") && e.contains("at init")),
        d.get(0).evidence().toString());
    assertTrue(d.get(0).evidence().stream().anyMatch(e -> e.startsWith("explains model_too_small: underfitting")),
        d.get(0).evidence().toString());
    assertEquals("model.batchNorm", d.get(0).change().key());
    // the same init when the training reaches 0.97: the init did no harm, nothing to say
    assertEquals(List.of(), diagnose(recovered(c, 0.97, 0.96).init(init), List.of(), 200));
    // without the untrained network's numbers (a resumed run) the same stream is plain underfitting
    assertEquals(List.of("model_too_small"), causes(diagnose(recovered(c, 0.52, 0.54), List.of(), 200)));
  }

  /** Falling loss, activations of a sound scale through depth, the given accuracies. */
  private static SyntheticRuns.Stream recovered(SitterConfig c, double train, double val) {
    SyntheticRuns.Stream s = new SyntheticRuns.Stream(c, 10, 2);
    for (int r = 1; r <= 10; r++) {
      s.round(LN10 * Math.exp(-0.05 * r), 3e-3, 0.3,
          List.of(tanh("dense_0", 0, 0.25), tanh("dense_1", 0, 0.4), tanh("dense_2", 0, 0.6)), train, val);
    }
    return s;
  }

  @Test
  void imbalancedClassesExplainChanceLevelValidation() {
    SitterConfig c = config();
    CheckResult skew = ClassBalanceCheck.judge(new long[] {970, 15, 15}, c.babysit().imbalanceRatio());
    List<DiagnosisItem> d = diagnose(fitStream(c, 0.5, 0.1), List.of(skew), 1000);
    assertEquals("class_imbalance", d.get(0).cause(), d.toString());
    assertEquals(List.of("class_imbalance"), causes(d));
  }

  @Test
  void minorityClassesThatAreNeverRecalledAreClassImbalanceEvenWhenAccuracyLooksFine() {
    SitterConfig c = config();
    // 97% of one class: 0.97 accuracy by predicting it alone; the two small classes never recalled
    List<PerClass> missed = List.of(new PerClass("0", 0.97, 1.0, 0.98, 194), new PerClass("1", 0, 0, 0, 3),
        new PerClass("2", 0, 0.0, 0, 3));
    List<DiagnosisItem> d = diagnose(fitStream(c, 0.97, 0.97).perClass(missed), List.of(), 200);
    assertEquals(List.of("class_imbalance"), causes(d), d.toString());
    assertTrue(d.get(0).evidence().get(0).startsWith("minority_recall"), d.get(0).evidence().toString());
    // the same split with the small classes recognised: silent
    List<PerClass> found = List.of(new PerClass("0", 0.99, 0.99, 0.99, 194), new PerClass("1", 0.7, 0.67, 0.68, 3),
        new PerClass("2", 0.8, 1.0, 0.9, 3));
    assertEquals(List.of(), diagnose(fitStream(c, 0.98, 0.98).perClass(found), List.of(), 200));
    // a balanced split with one hard class is no imbalance, whatever that class's recall
    List<PerClass> hard = List.of(new PerClass("0", 0.9, 0.95, 0.92, 60), new PerClass("1", 0.9, 0.95, 0.92, 60),
        new PerClass("2", 0.5, 0.2, 0.3, 60));
    assertTrue(causes(diagnose(fitStream(c, 0.8, 0.75).perClass(hard), List.of(), 180)).stream()
        .noneMatch("class_imbalance"::equals));
  }

  @Test
  void deadUnitsExplainTheVanishingGradientBehindThem() {
    // dead ReLUs in the first layer pass no gradient back: the gradient-flow check fires too, and
    // its init_scale is shown under dead_relu instead of as a second cause
    SitterConfig c = config("model.batchNorm=false", "model.biasInit=-6");
    SyntheticRuns.Stream s = new SyntheticRuns.Stream(c, 10, 2);
    for (int r = 1; r <= 10; r++) {
      s.round(LN10 * Math.exp(-0.05 * r), 1e-3, 1e-5, List.of(deadRelu("dense_0"), healthyRelu("dense_1", 1)), 0.8, 0.8);
    }
    List<DiagnosisItem> d = diagnose(s, List.of(), 1000);
    assertEquals(List.of("dead_relu"), causes(d), d.toString());
    assertTrue(d.get(0).evidence().stream().anyMatch(e -> e.startsWith("explains init_scale: gradient_flow")),
        d.get(0).evidence().toString());
  }

  @Test
  void rawInputsExplainTheSaturationTheyCause() {
    // features up to 4e3 into tanh without BatchNorm: the first layer saturates; the fix is the
    // data's scale, not the activation
    SitterConfig c = config("model.batchNorm=false", "model.activation=tanh");
    SyntheticRuns.Stream s = new SyntheticRuns.Stream(c, 10, 2);
    for (int r = 1; r <= 10; r++) {
      s.round(LN10 * Math.exp(-0.05 * r), 1e-3, 0.3, List.of(tanh("dense_0", 0.75, 0.3), tanh("dense_1", 0, 0.3)), 0.8,
          0.8);
    }
    CheckResult raw = InputScaleCheck.judge(4000, 3, c.babysit().inputScaleMax());
    List<DiagnosisItem> d = diagnose(s, List.of(raw), 1000);
    assertEquals(List.of("unnormalized_input"), causes(d), d.toString());
    assertEquals("prep --mode", d.get(0).change().key());
    assertTrue(d.get(0).evidence().stream().anyMatch(e -> e.startsWith("explains saturation: saturation [dense_0]")),
        d.get(0).evidence().toString());
  }

  @Test
  void independentCausesAreRankedByTheWeightOfTheirEvidence() {
    SitterConfig c = config();
    CheckResult skew = ClassBalanceCheck.judge(new long[] {970, 15, 15}, c.babysit().imbalanceRatio());
    CheckResult slow = OverfitCheck.judge(new OverfitOutcome(20, 300, 2.3, 2.25, 0.2, 1.0, 1e-7), 0.05, 300);
    CheckResult probeLow = CheckResult.preflight(LrProbeCheck.NAME, Status.WARN, "o", "e", "too low", null)
        .blaming("lr_too_low");
    // lr_too_low: a failure and a warning (3); class_imbalance: a warning (1); neither explains the other
    List<DiagnosisItem> d = Diagnoser.diagnose(List.of(skew, slow, probeLow), null, c);
    assertEquals(List.of("lr_too_low", "class_imbalance"), causes(d));
  }

  @Test
  void causesOnlyExplainLaterCausesSoTheOrderIsAnExplanationOrder() {
    for (Cause a : Cause.values()) {
      for (Cause b : a.explains()) {
        assertTrue(a.ordinal() < b.ordinal(), a + " explains " + b + " but comes after it");
      }
    }
    assertEquals(List.of("lr_too_high", "lr_too_low", "symmetric_init", "init_scale", "dead_relu", "saturation",
        "too_much_regularization", "labels_without_signal", "overfitting", "model_too_small", "unnormalized_input",
        "class_imbalance").stream().sorted().toList(),
        java.util.Arrays.stream(Cause.values()).map(Cause::id).sorted().toList());
  }

  @Test
  void theDiagnosisRoundTripsThroughChecksJsonInOrder(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    SitterConfig c = config();
    CheckResult skew = ClassBalanceCheck.judge(new long[] {970, 15, 15}, c.babysit().imbalanceRatio());
    CheckResult slow = OverfitCheck.judge(new OverfitOutcome(20, 300, 2.3, 2.25, 0.2, 1.0, 1e-7), 0.05, 300);
    List<DiagnosisItem> d = Diagnoser.diagnose(List.of(skew, slow), null, c);
    ChecksReport report = new ChecksReport(null, d, List.of(skew, slow), null);
    io.sitter.storage.RunDirectory run =
        io.sitter.storage.RunDirectory.at(io.sitter.storage.Storage.local(), new org.apache.hadoop.fs.Path(dir.toUri()));
    run.writeChecks(report);
    String json = java.nio.file.Files.readString(dir.resolve(io.sitter.storage.RunDirectory.CHECKS));
    assertEquals(report.diagnosis(), run.checks().orElseThrow().diagnosis());
    assertTrue(json.indexOf("\"diagnosis\"") < json.indexOf("\"checks\""), json);
    assertTrue(json.contains("\"cause\" : \"lr_too_low\""), json);
    assertTrue(json.contains("\"change\" : {\n      \"key\" : \"train.learningRate\""), json);
  }

  @Test
  void theBinomialTailMatchesADirectSum() {
    // P(X >= k) for n = 30, p = 0.1 summed term by term with exact binomial coefficients
    int n = 30;
    for (int k : new int[] {4, 6, 9, 15}) {
      double direct = 0;
      for (int i = k; i <= n; i++) {
        double choose = 1;
        for (int j = 1; j <= i; j++) {
          choose = choose * (n - i + j) / j;
        }
        direct += choose * Math.pow(0.1, i) * Math.pow(0.9, n - i);
      }
      assertEquals(direct, FitCheck.upperTail(n, k, 0.1), 1e-12 + 1e-9 * direct, "k = " + k);
    }
    assertEquals(1.0, FitCheck.upperTail(30, 2, 0.1), "below the mean: not significant");
    assertEquals(FitCheck.logFactorial(300), logFactorialBySum(300), 1e-9);
  }

  private static double logFactorialBySum(int n) {
    double s = 0;
    for (int i = 2; i <= n; i++) {
      s += Math.log(i);
    }
    return s;
  }
}
