package io.sitter.babysit;

import static io.sitter.babysit.Numbers.format;
import static io.sitter.babysit.Numbers.percent;

import io.sitter.metrics.CheckResult;
import io.sitter.metrics.CheckResult.Status;
import java.util.List;
import java.util.Map;

/**
 * The loss over the judged rounds: not decreasing (SageMaker Debugger's {@code loss_not_decreasing},
 * over rounds instead of steps) and oscillating (AUTOTRAINER's unstable-training symptom: the
 * round-to-round changes keep flipping sign with a large amplitude and the loss makes no net
 * progress). A plateau alone names no cause (too low a rate, dead units and zero init all cause
 * one): it is the "training suffers" condition other checks need. Oscillation points at the rate.
 */
final class LossTrendCheck implements Check<MonitorEvidence> {
  static final String NOT_DECREASING = "loss_not_decreasing";
  static final String OSCILLATING = "oscillating_loss";

  @Override
  public List<CheckResult> judge(MonitorEvidence e) {
    int round = e.current().round();
    if (!e.decisive()) {
      return List.of();
    }
    double decrease = e.relativeDecrease();
    Map<String, Double> v = Values.of("initialLoss", e.initialLoss(), "relativeDecrease", decrease,
        "threshold", e.babysit().plateauDecrease());
    String observed = "loss fell by " + percent(Math.max(decrease, 0)) + " from " + format(e.initialLoss())
        + (decrease < 0 ? " (it rose)" : "");
    String expected = "a fall of at least " + percent(e.babysit().plateauDecrease());
    CheckResult trend = e.plateau()
        ? CheckResult.monitor(NOT_DECREASING, null, Status.WARN, observed, expected,
            "The loss is not decreasing: after warm-up it is only " + percent(Math.max(decrease, 0))
                + " below the initial " + format(e.initialLoss()) + ".", v, round)
        : CheckResult.monitor(NOT_DECREASING, null, Status.PASS, observed, expected, "The loss decreases.", v, round);
    double[] osc = oscillation(e.losses());
    Map<String, Double> w = Values.of("flipShare", osc[0], "relativeAmplitude", osc[1],
        "flipThreshold", e.babysit().oscillationFlips(), "amplitudeThreshold", e.babysit().oscillationAmplitude());
    String seen = percent(osc[0]) + " of round-to-round changes flip sign, mean change " + percent(osc[1]) + " of the loss";
    String want = "at most " + percent(e.babysit().oscillationFlips()) + " flips or changes below "
        + percent(e.babysit().oscillationAmplitude());
    CheckResult oscillating = oscillating(e)
        ? CheckResult.monitor(OSCILLATING, null, Status.WARN, seen, want,
            "The loss oscillates from round to round (" + seen + ") without falling: the learning rate "
                + format(e.current().learningRate()) + " overshoots.", w, round).blaming(Cause.LR_TOO_HIGH.id())
        : CheckResult.monitor(OSCILLATING, null, Status.PASS, seen, want, "The loss does not oscillate.", w, round);
    return List.of(trend, oscillating);
  }

  /** Whether the judged losses oscillate (see the class comment); needs 4 judged rounds. */
  static boolean oscillating(MonitorEvidence e) {
    double[] osc = oscillation(e.losses());
    return e.losses().length >= 4 && osc[0] > e.babysit().oscillationFlips()
        && osc[1] > e.babysit().oscillationAmplitude() && e.plateau();
  }

  /** {share of successive changes that flip sign, mean |change| / mean loss}; NaN for under 3 losses. */
  static double[] oscillation(double[] losses) {
    if (losses.length < 3) {
      return new double[] {Double.NaN, Double.NaN};
    }
    int flips = 0;
    double change = 0;
    double sum = 0;
    for (int i = 1; i < losses.length; i++) {
      change += Math.abs(losses[i] - losses[i - 1]);
      if (i >= 2 && Math.signum(losses[i] - losses[i - 1]) * Math.signum(losses[i - 1] - losses[i - 2]) < 0) {
        flips++;
      }
    }
    for (double l : losses) {
      sum += l;
    }
    return new double[] {flips / (double) (losses.length - 2), (change / (losses.length - 1)) / (sum / losses.length)};
  }
}
