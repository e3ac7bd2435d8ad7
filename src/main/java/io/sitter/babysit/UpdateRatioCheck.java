package io.sitter.babysit;

import static io.sitter.babysit.Numbers.format;

import io.sitter.config.TrainConfig.Updater;
import io.sitter.metrics.CheckResult;
import io.sitter.metrics.CheckResult.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Each layer's update/weight ratio ||dW|| / ||W||, judged robustly: its median over the rounds
 * after warm-up, against CS231n's band around 1e-3, and only when the training also suffers. With
 * Adam or RMSProp the step is about the rate per weight whatever the gradient, so the ratio is
 * about {@code lr * sqrt(n) / ||W||}: a high ratio there says the rate is large next to the
 * weights, not that gradients explode, and Adam at lr 0.05 trains well with ratios of 1e-1. So a
 * ratio outside the band is a verdict only with its symptom: a high ratio with an oscillating loss,
 * or with plain SGD a loss that does not decrease (lr_too_high); a low ratio with a loss that does
 * not decrease (lr_too_low).
 */
final class UpdateRatioCheck implements Check<MonitorEvidence> {
  static final String NAME = "update_ratio";
  /** CS231n's rule of thumb for the update/weight ratio. */
  static final double HEALTHY = 1e-3;

  @Override
  public List<CheckResult> judge(MonitorEvidence e) {
    List<CheckResult> out = new ArrayList<>();
    if (!e.decisive()) {
      return out;
    }
    int round = e.current().round();
    double lr = e.current().learningRate();
    boolean adaptive = e.train().updater() == Updater.ADAM || e.train().updater() == Updater.RMSPROP;
    for (String layer : e.current().updateRatios().keySet()) {
      double median = e.median(r -> r.updateRatios().getOrDefault(layer, Double.NaN));
      double suggested = suggestedRate(lr, median);
      Map<String, Double> v = Values.of("updateRatio", median, "low", e.babysit().updateRatioLow(),
          "high", e.babysit().updateRatioHigh(), "learningRate", lr, "suggestedLearningRate", suggested,
          "adaptiveUpdater", adaptive ? 1 : 0);
      String observed = "median update/weight ratio " + format(median) + " over " + e.judged().size() + " rounds";
      String expected = "in [" + format(e.babysit().updateRatioLow()) + ", " + format(e.babysit().updateRatioHigh())
          + "], about 1e-3, or a loss that falls";
      boolean high = median > e.babysit().updateRatioHigh();
      boolean low = median < e.babysit().updateRatioLow();
      // With Adam or RMSProp a high ratio in a plateau says the weights are small (a small init),
      // not that the rate is too high: only an oscillating loss blames the rate there.
      if (high && (LossTrendCheck.oscillating(e) || !adaptive && e.plateau())) {
        out.add(CheckResult.monitor(NAME, layer, Status.WARN, observed, expected,
            "Learning rate looks too high: layer " + layer + " updates by " + format(median)
                + " of its weights per step and the loss does not fall; try lr " + format(suggested) + ".", v, round)
            .blaming(Cause.LR_TOO_HIGH.id()));
      } else if (low && e.plateau()) {
        out.add(CheckResult.monitor(NAME, layer, Status.WARN, observed, expected,
            "Learning rate looks too low: layer " + layer + " updates by only " + format(median)
                + " of its weights per step and the loss does not fall; try lr " + format(suggested) + ".", v, round)
            .blaming(Cause.LR_TOO_LOW.id()));
      } else {
        out.add(CheckResult.monitor(NAME, layer, Status.PASS, observed, expected,
            "Layer " + layer + " updates at a pace the loss follows.", v, round));
      }
    }
    return out;
  }

  /** The rate that would move {@code ratio} to about 1e-3, within a factor 1000 either way, one digit. */
  static double suggestedRate(double learningRate, double ratio) {
    double factor = ratio > 0 && Double.isFinite(ratio) ? HEALTHY / ratio : 0.1;
    return Numbers.oneDigit(learningRate * Math.min(1e3, Math.max(1e-3, factor)));
  }
}
