package io.sitter.babysit;

import io.sitter.config.ModelConfig;
import io.sitter.config.SitterConfig;
import io.sitter.config.TrainingAbortedException;
import io.sitter.metrics.AbortVerdict;
import io.sitter.metrics.CheckResult;
import io.sitter.metrics.ChecksReport;
import io.sitter.metrics.LayerMetrics;
import io.sitter.metrics.LrProbeCurve;
import io.sitter.metrics.RoundMetrics;
import io.sitter.model.NetworkFactory;
import io.sitter.train.RoundListener;
import io.sitter.train.TrainingView;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The babysitter plugged into training: after every round it measures the merged network's
 * activations on the fixed probe batch (dead units, mean, std, saturation, histogram, into the
 * round's per-layer metrics), judges them with the trainer's update ratios and the round's loss,
 * and aborts on divergence. It also takes the loss gradient of each layer on the probe batch (one
 * forward and backward pass) for the gradient-flow check. {@code checks.json} holds the preflight
 * verdicts from the start and is rewritten with the monitors and the ranked diagnosis at the end
 * or on abort; the diagnosis goes to the console.
 */
public final class BabysitListener implements RoundListener {
  private final List<CheckResult> preflight;
  private final LrProbeCurve lrProbe;
  private final long valExamples;
  private final PrintWriter console;
  private SitterConfig config;
  private BabysitMonitor monitor;
  /** Time spent in the monitors on the driver, the babysitter's cost during training. */
  private long monitorNanos;
  private int rounds;

  /**
   * @param preflight the preflight verdicts (empty with {@code --no-checks})
   * @param lrProbe the range test's curve, or null
   * @param valExamples the validation split's size, for the chance-level test (0 when unknown)
   */
  public BabysitListener(List<CheckResult> preflight, LrProbeCurve lrProbe, long valExamples, PrintWriter console) {
    this.preflight = List.copyOf(preflight);
    this.lrProbe = lrProbe;
    this.valExamples = valExamples;
    this.console = console;
  }

  @Override
  public void beforeTraining(TrainingView view) {
    config = view.config();
    monitor = new BabysitMonitor(config, view.numClasses(), valExamples, view.initialLoss(), view.totalRounds());
    if (view.round() == 0) {
      // The untrained network, for the poor-init check: a resumed run's network is no longer it.
      long start = System.nanoTime();
      monitor.initial(ActivationProbe.measure(view.network(), view.probeFeatures(), config.model(),
          config.babysit().histogramBins()));
      monitorNanos += System.nanoTime() - start;
    }
    write(view, null);
  }

  @Override
  public void afterRound(TrainingView view, RoundMetrics.Builder metrics) {
    if (monitor == null) {
      throw new IllegalStateException("afterRound before beforeTraining");
    }
    long start = System.nanoTime();
    Optional<AbortVerdict> abort;
    try {
      abort = watch(view, metrics);
    } finally {
      monitorNanos += System.nanoTime() - start;
      rounds++;
    }
    if (abort.isPresent()) {
      write(view, abort.get());
      diagnose(abort.get());
      throw new TrainingAbortedException(abort.get().reason());
    }
  }

  /** Measures the round and judges it; the abort verdict when training must stop. */
  private Optional<AbortVerdict> watch(TrainingView view, RoundMetrics.Builder metrics) {
    ModelConfig model = view.config().model();
    List<ActivationStats> hidden = ActivationProbe.measure(
        view.network(), view.probeFeatures(), model, view.config().babysit().histogramBins());
    for (ActivationStats s : hidden) {
      metrics.layer(s.layer())
          .deadFraction(s.deadFraction())
          .actMean(s.mean())
          .actStd(s.std())
          .saturatedFraction(s.saturatedFraction())
          .histogram(new LayerMetrics.Histogram(s.histogram().min(), s.histogram().max(), s.histogram().counts()));
    }
    Map<String, Double> gradients = GradientProbe.measure(view.network(), view.probeFeatures(), view.probeLabels());
    Map<String, Double> ratios = new LinkedHashMap<>();
    for (String layer : view.layerNames()) {
      Double r = metrics.layer(layer).updateRatio();
      if (r != null) {
        ratios.put(layer, r);
      }
    }
    // The rate the round trained with, as metrics.jsonl records it: computed again here from the
    // iteration count, which the round has already advanced, it differed under decay.
    double lr = metrics.lr();
    Optional<AbortVerdict> abort = monitor.observe(new RoundObservation(view.round(), metrics.trainLoss(), lr, ratios,
        hidden, gradients, metrics.valAccuracy() == null ? null : metrics.trainAccuracy(), metrics.valAccuracy(),
        metrics.epoch(), metrics.epoch() >= view.config().train().epochs(), metrics.valPerClass()));
    return abort;
  }

  @Override
  public void afterTraining(TrainingView view) {
    write(view, null);
    diagnose(null);
  }

  private void write(TrainingView view, AbortVerdict aborted) {
    view.runDir().writeChecks(new ChecksReport(aborted, Diagnoser.diagnose(all(), aborted, config), all(), lrProbe));
  }

  private List<CheckResult> all() {
    List<CheckResult> all = new ArrayList<>(preflight);
    if (monitor != null) {
      all.addAll(monitor.results());
    }
    return all;
  }

  private void diagnose(AbortVerdict aborted) {
    Diagnosis.lines(Diagnoser.diagnose(all(), aborted, config), all(), aborted).forEach(console::println);
    console.printf(java.util.Locale.ROOT, "babysitter: monitoring took %.3f s over %d rounds%n", monitorSeconds(), rounds);
    console.flush();
  }

  /** Seconds spent in the monitors so far. */
  public double monitorSeconds() {
    return monitorNanos / 1e9;
  }
}
