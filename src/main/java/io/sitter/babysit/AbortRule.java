package io.sitter.babysit;

import static io.sitter.babysit.Numbers.format;

import io.sitter.metrics.AbortVerdict;
import java.util.Map;
import java.util.Optional;

/**
 * CS231n's "abort early": a loss that is NaN/Infinity, or above {@code factor} times the initial
 * loss, means training has diverged and every further round is wasted. The one rule for every
 * trainer: the babysitter's monitor, the search's local trials and its data-mode stopper. The
 * babysitter's verdict names the round, the layer with the largest update/weight ratio (the usual
 * culprit is a learning rate too high for that layer) and a lower rate to try.
 */
public final class AbortRule {
  private AbortRule() {}

  /** Whether {@code loss} means training diverged: not finite, or above {@code factor * initialLoss}. */
  public static boolean diverged(double loss, double initialLoss, double factor) {
    return !Double.isFinite(loss) || loss > factor * initialLoss;
  }

  /** "loss NaN" or "loss 7.1 > 3x initial 2.30", then {@code where} (e.g. "at round 7"). */
  public static String describe(double loss, double initialLoss, double factor, String where) {
    return !Double.isFinite(loss)
        ? "loss " + format(loss) + " " + where
        : "loss " + format(loss) + " > " + format(factor) + "x initial " + format(initialLoss) + " " + where;
  }

  /**
   * @param updateRatios this round's update/weight ratio per layer (may be empty)
   * @return the verdict when training must stop, empty otherwise
   */
  public static Optional<AbortVerdict> judge(
      int round, double loss, double initialLoss, Map<String, Double> updateRatios, double learningRate, double factor) {
    if (!diverged(loss, initialLoss, factor)) {
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
    double suggested = Math.min(Numbers.oneDigit(learningRate / 10), UpdateRatioCheck.suggestedRate(learningRate, ratio));
    String what = describe(loss, initialLoss, factor, "at round " + round);
    String culprit = layer == null ? "" : "; largest update/weight ratio " + format(ratio) + " in layer " + layer
        + " (healthy about 1e-3)";
    String reason = what + culprit + ": the learning rate " + format(learningRate) + " is too high; try lr "
        + format(suggested) + ".";
    return Optional.of(new AbortVerdict(round, reason, loss, initialLoss, layer, ratio, learningRate, suggested));
  }
}
