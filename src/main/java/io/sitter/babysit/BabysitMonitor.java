package io.sitter.babysit;

import io.sitter.config.BabysitConfig;
import io.sitter.config.ModelConfig;
import io.sitter.metrics.AbortVerdict;
import io.sitter.metrics.CheckResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The babysitter's watch over one training run, on the driver: judges each round's observation
 * (update ratios, dead units, saturation, symmetry, vanishing activations, and at epoch ends the
 * train/validation fit), keeps the verdicts in a {@link MonitorLog}, and applies the abort rule.
 * Not thread-safe: one round at a time.
 */
public final class BabysitMonitor {
  private final ModelConfig model;
  private final BabysitConfig babysit;
  private final int numClasses;
  private final double initialLoss;
  private final MonitorLog log = new MonitorLog();
  private List<CheckResult> lastRound = List.of();

  /** @param initialLoss the untrained network's loss, the abort rule's yardstick */
  public BabysitMonitor(ModelConfig model, BabysitConfig babysit, int numClasses, double initialLoss) {
    this.model = model;
    this.babysit = babysit;
    this.numClasses = numClasses;
    this.initialLoss = initialLoss;
  }

  /**
   * Judges one round.
   *
   * @return the abort verdict when training must stop now, else empty
   */
  public Optional<AbortVerdict> observe(RoundObservation o) {
    List<CheckResult> verdicts = new ArrayList<>();
    o.updateRatios().forEach((layer, ratio) ->
        verdicts.add(MonitorJudge.updateRatio(layer, ratio, o.learningRate(), babysit, o.round())));
    for (ActivationStats s : o.hidden()) {
      switch (model.activation()) {
        // Only ReLU outputs exact zeros; leaky ReLU and ELU units cannot die that way.
        case RELU -> verdicts.add(MonitorJudge.deadUnits(s, model.activation(), babysit, o.round()));
        case TANH, SIGMOID -> verdicts.add(MonitorJudge.saturation(s, model.activation(), babysit, o.round()));
        case LEAKYRELU, ELU -> { }
      }
      verdicts.add(MonitorJudge.symmetry(s, o.round()));
    }
    if (o.hidden().size() >= 2) {
      verdicts.add(MonitorJudge.vanishing(o.hidden(), babysit, o.round()));
    }
    if (o.trainAccuracy() != null && o.valAccuracy() != null) {
      for (CheckResult r : MonitorJudge.fit(o.trainAccuracy(), o.valAccuracy(), numClasses, babysit, o.learningRate(),
          o.round())) {
        // The first epoch's train accuracy is a running mean over a model still changing fast, so
        // a gap is judged from the second epoch on; under-fitting and chance level are verdicts on
        // the trained model, judged when the last epoch ends (earlier a model is still learning).
        boolean judged = r.check().equals(MonitorJudge.OVERFITTING) ? o.epoch() >= 2 || o.lastEpoch() : o.lastEpoch();
        if (judged) {
          verdicts.add(r);
        }
      }
    }
    log.record(verdicts);
    lastRound = List.copyOf(verdicts);
    return AbortRule.judge(o.round(), o.loss(), initialLoss, o.updateRatios(), o.learningRate(),
        babysit.abortLossFactor());
  }

  /** One verdict per monitor kind and layer, with the rounds it held (for checks.json). */
  public List<CheckResult> results() {
    return log.results();
  }

  /** The verdicts of the latest round, pass and warn alike. */
  public List<CheckResult> lastRound() {
    return lastRound;
  }

  public double initialLoss() {
    return initialLoss;
  }
}
