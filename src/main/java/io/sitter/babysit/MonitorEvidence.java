package io.sitter.babysit;

import io.sitter.config.BabysitConfig;
import io.sitter.config.ModelConfig;
import io.sitter.config.TrainConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * What the monitors judge: every round observed so far (the current one last) and the run's facts.
 * Monitors judge the rounds after warm-up ({@link #judged()}), by medians, so that one noisy round
 * (Adam's first steps, a BatchNorm batch) does not decide a verdict for the whole run, and they
 * warn only once {@link #decisive()}.
 *
 * @param valExamples size of the validation split; 0 when unknown
 * @param initialLoss the untrained network's loss
 * @param initial activation statistics of the untrained network's hidden blocks on the probe
 *     batch, in depth order (empty when not measured, as on --resume)
 * @param totalRounds rounds the run will have when it is not stopped
 * @param ending true at the last round, or when training is being aborted
 */
record MonitorEvidence(
    ModelConfig model,
    TrainConfig train,
    BabysitConfig babysit,
    int numClasses,
    long valExamples,
    double initialLoss,
    List<ActivationStats> initial,
    int totalRounds,
    List<RoundObservation> rounds,
    boolean ending) {

  MonitorEvidence {
    Objects.requireNonNull(model);
    Objects.requireNonNull(train);
    Objects.requireNonNull(babysit);
    initial = List.copyOf(initial);
    rounds = List.copyOf(rounds);
    if (rounds.isEmpty()) {
      throw new IllegalArgumentException("monitors need at least one round");
    }
  }

  RoundObservation current() {
    return rounds.get(rounds.size() - 1);
  }

  /** The rounds after warm-up; at least the last round once the run ends. */
  List<RoundObservation> judged() {
    int warmup = (int) Math.floor(babysit.warmupShare() * totalRounds);
    List<RoundObservation> after = rounds.stream().filter(r -> r.round() > warmup).toList();
    if (after.isEmpty() && ending) {
      return List.of(current());
    }
    return after;
  }

  /** Whether enough rounds were judged for a verdict to warn. */
  boolean decisive() {
    List<RoundObservation> j = judged();
    return !j.isEmpty() && (j.size() >= babysit.minJudgedRounds() || ending);
  }

  /** Median over the judged rounds of a per-round number (NaN when none). */
  double median(ToDoubleFunction<RoundObservation> f) {
    return Stats.median(judged().stream().mapToDouble(f).toArray());
  }

  /**
   * The loss fell by less than {@code plateauDecrease} of the initial loss: the median loss of the
   * last third of the judged rounds against the initial loss.
   */
  boolean plateau() {
    return relativeDecrease() < babysit.plateauDecrease();
  }

  /** (initial loss - median loss of the last third of the judged rounds) / initial loss. */
  double relativeDecrease() {
    List<RoundObservation> j = judged();
    if (j.isEmpty()) {
      return Double.NaN;
    }
    List<RoundObservation> tail = j.subList(j.size() - Math.max(1, j.size() / 3), j.size());
    double recent = Stats.median(tail.stream().mapToDouble(RoundObservation::loss).toArray());
    return (initialLoss - recent) / initialLoss;
  }

  /**
   * Whether the training suffers: the loss does not decrease ({@link #plateau()}), or the run ends
   * with a validation accuracy below {@code underfitAccuracy}. Findings that are harmless when
   * training recovers from them (a poor init Adam repairs in its first steps) count only then.
   */
  boolean suffering() {
    Double val = current().valAccuracy();
    return plateau() || current().lastEpoch() && val != null && val < babysit.underfitAccuracy();
  }

  /** The losses of the judged rounds. */
  double[] losses() {
    return judged().stream().mapToDouble(RoundObservation::loss).toArray();
  }

  /** Small statistics helpers. */
  static final class Stats {
    private Stats() {}

    static double median(double[] xs) {
      double[] s = Arrays.stream(xs).filter(x -> !Double.isNaN(x)).sorted().toArray();
      if (s.length == 0) {
        return Double.NaN;
      }
      return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }

    static List<Double> list(double[] xs) {
      List<Double> out = new ArrayList<>();
      for (double x : xs) {
        out.add(x);
      }
      return out;
    }
  }
}
