package io.sitter.babysit;

import io.sitter.config.SitterConfig;
import io.sitter.metrics.AbortVerdict;
import io.sitter.metrics.CheckResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The babysitter's watch over one training run, on the driver: applies the abort rule to each
 * round, then judges the rounds so far with every check of {@link Checks#MONITOR} and keeps
 * their verdicts in a {@link MonitorLog}. Not thread-safe: one round at a time.
 */
public final class BabysitMonitor {
  private final SitterConfig config;
  private final int numClasses;
  private final long valExamples;
  private final double initialLoss;
  private final int totalRounds;
  private final List<RoundObservation> rounds = new ArrayList<>();
  private List<ActivationStats> initial = List.of();
  private final MonitorLog log = new MonitorLog();

  /**
   * @param valExamples the validation split's size (0 when unknown)
   * @param initialLoss the untrained network's loss, the abort rule's yardstick
   * @param totalRounds the rounds of the whole run
   */
  public BabysitMonitor(SitterConfig config, int numClasses, long valExamples, double initialLoss, int totalRounds) {
    this.config = config;
    this.numClasses = numClasses;
    this.valExamples = valExamples;
    this.initialLoss = initialLoss;
    this.totalRounds = totalRounds;
  }

  /** The untrained network's hidden activations on the probe batch (a new run's, before round 1). */
  public void initial(List<ActivationStats> hidden) {
    initial = List.copyOf(hidden);
  }

  /**
   * Judges one round.
   *
   * @return the abort verdict when training must stop now, else empty
   */
  public Optional<AbortVerdict> observe(RoundObservation o) {
    rounds.add(o);
    Optional<AbortVerdict> abort = AbortRule.judge(o.round(), o.loss(), initialLoss, o.updateRatios(),
        o.learningRate(), config.babysit().abortLossFactor());
    // A diverged round's numbers are not evidence of anything but the divergence.
    List<RoundObservation> evidence = abort.isPresent() && rounds.size() > 1 ? rounds.subList(0, rounds.size() - 1) : rounds;
    MonitorEvidence e = new MonitorEvidence(config.model(), config.train(), config.babysit(), numClasses, valExamples,
        initialLoss, initial, totalRounds, evidence, abort.isPresent() || o.round() >= totalRounds);
    List<CheckResult> verdicts = new ArrayList<>();
    for (Check<MonitorEvidence> check : Checks.MONITOR) {
      verdicts.addAll(check.judge(e));
    }
    log.record(verdicts);
    return abort;
  }

  /** One verdict per monitor kind and layer, with the rounds it held (for checks.json). */
  public List<CheckResult> results() {
    return log.results();
  }
}
