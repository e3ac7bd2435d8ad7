package io.sitter.babysit;

import static io.sitter.babysit.Numbers.format;

import io.sitter.metrics.AbortVerdict;
import java.util.Map;
import java.util.Optional;

/**
 * CS231n's "abort early": a loss that is NaN/Infinity, or above {@code factor} times the initial
 * loss, means training has diverged and every further round is wasted. The verdict names the
 * round, the layer with the largest update/weight ratio (the usual culprit is a learning rate too
 * high for that layer) and a lower rate to try.
 */
public final class AbortRule {
  private AbortRule() {}

  /**
   * @param updateRatios this round's update/weight ratio per layer (may be empty)
   * @return the verdict when training must stop, empty otherwise
   */
  public static Optional<AbortVerdict> judge(
      int round, double loss, double initialLoss, Map<String, Double> updateRatios, double learningRate, double factor) {
    boolean nonFinite = !Double.isFinite(loss);
    if (!nonFinite && !(loss > factor * initialLoss)) {
      return Optional.empty();
    }
    String layer = null;
    double ratio = Double.NaN;
    for (Map.Entry<String, Double> e : updateRatios.entrySet()) {
      double r = e.getValue();
      // A non-finite ratio is the largest of all: it is the layer that blew up first.
      if (layer == null || !Double.isFinite(r) && Double.isFinite(ratio) || r > ratio) {
        layer = e.getKey();
        ratio = r;
      }
    }
    double suggested = Math.min(Numbers.oneDigit(learningRate / 10), MonitorJudge.suggestedRate(learningRate, ratio));
    String what = nonFinite
        ? "loss " + format(loss) + " at round " + round
        : "loss " + format(loss) + " > " + format(factor) + "x initial " + format(initialLoss) + " at round " + round;
    String culprit = layer == null ? "" : "; largest update/weight ratio " + format(ratio) + " in layer " + layer
        + " (healthy about 1e-3)";
    String reason = what + culprit + ": the learning rate " + format(learningRate) + " is too high; try lr "
        + format(suggested) + ".";
    return Optional.of(new AbortVerdict(round, reason, loss, initialLoss, layer, ratio, learningRate, suggested));
  }
}
