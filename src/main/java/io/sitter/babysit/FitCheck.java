package io.sitter.babysit;

import static io.sitter.babysit.Numbers.format;

import io.sitter.metrics.CheckResult;
import io.sitter.metrics.CheckResult.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Train against validation accuracy at epoch ends. A gap above {@code overfitGap} (from the second
 * epoch: the first epoch's train accuracy is a running mean over a model still changing fast) is
 * overfitting. At the last epoch: validation accuracy that an exact one-sided binomial test cannot
 * tell from chance (1/C) at level {@code chanceAlpha} means the labels carry no signal the net could
 * generalise (unless another cause, zero init or a dead net, explains it: see {@link Cause}); both
 * accuracies low with no gap is a model that cannot fit.
 */
final class FitCheck implements Check<MonitorEvidence> {
  static final String OVERFITTING = "overfitting";
  static final String UNDERFITTING = "underfitting";
  static final String CHANCE = "chance_accuracy";

  @Override
  public List<CheckResult> judge(MonitorEvidence e) {
    RoundObservation o = e.current();
    List<CheckResult> out = new ArrayList<>();
    if (o.trainAccuracy() == null || o.valAccuracy() == null) {
      return out;
    }
    double train = o.trainAccuracy();
    double val = o.valAccuracy();
    double gap = train - val;
    double chance = 1.0 / e.numClasses();
    double p = e.valExamples() > 0 ? upperTail(e.valExamples(), (long) Math.round(val * e.valExamples()), chance) : Double.NaN;
    // Without the split's size the test cannot run; then 1.2x chance stands in for "at chance".
    boolean atChance = Double.isNaN(p) ? val <= 1.2 * chance : p > e.babysit().chanceAlpha();
    Map<String, Double> v = Values.of("trainAccuracy", train, "valAccuracy", val, "gap", gap,
        "overfitGap", e.babysit().overfitGap(), "underfitAccuracy", e.babysit().underfitAccuracy(), "chance", chance,
        "valExamples", e.valExamples(), "pValue", p, "chanceAlpha", e.babysit().chanceAlpha());
    String observed = "train accuracy " + format(train) + ", validation " + format(val);
    int round = o.round();
    if (o.epoch() >= 2 || o.lastEpoch()) {
      String expected = "gap at most " + format(e.babysit().overfitGap());
      out.add(gap > e.babysit().overfitGap()
          ? CheckResult.monitor(OVERFITTING, null, Status.WARN, observed, expected,
              "Overfitting: train accuracy " + format(train) + " vs validation " + format(val) + " (gap " + format(gap)
                  + "); add regularization (model.dropout, model.l2), use more data, or stop earlier.", v, round)
              .blaming(Cause.OVERFITTING.id())
          : CheckResult.monitor(OVERFITTING, null, Status.PASS, observed, expected, "No sign of overfitting.", v, round));
    }
    if (!o.lastEpoch()) {
      return out;
    }
    String signal = "validation accuracy above chance " + format(chance) + " (binomial test, p <= "
        + format(e.babysit().chanceAlpha()) + ")";
    out.add(atChance
        ? CheckResult.monitor(CHANCE, null, Status.WARN, observed + (Double.isNaN(p) ? "" : ", p = " + format(p)), signal,
            "Validation accuracy " + format(val) + " cannot be told from chance (1/" + e.numClasses() + "; train "
                + "accuracy " + format(train) + "): the labels do not follow from the features; check for shuffled "
                + "or misaligned labels.", v, round).blaming(Cause.LABELS_WITHOUT_SIGNAL.id())
        : CheckResult.monitor(CHANCE, null, Status.PASS, observed, signal, "The labels carry signal.", v, round));
    String floor = "validation accuracy at least " + format(e.babysit().underfitAccuracy());
    out.add(gap <= e.babysit().overfitGap() && val < e.babysit().underfitAccuracy()
        ? CheckResult.monitor(UNDERFITTING, null, Status.WARN, observed, floor,
            "Underfitting: validation accuracy " + format(val) + " is low and train accuracy is no better ("
                + format(train) + "); use a bigger model (model.hiddenLayers).", v, round)
            .blaming(Cause.MODEL_TOO_SMALL.id())
        : CheckResult.monitor(UNDERFITTING, null, Status.PASS, observed, floor, "No sign of underfitting.", v, round));
    return out;
  }

  /**
   * P(X >= k) for X ~ Binomial(n, p), summed from pmf(k) upwards. At or below the mean (k <= np)
   * the tail is about 1/2 or more, never significant, and 1 is returned (summing from there could
   * overflow for large n).
   */
  static double upperTail(long n, long k, double p) {
    if (k <= n * p) {
      return 1.0;
    }
    if (k > n) {
      return 0.0;
    }
    // log pmf(k) by lgamma, then the terms above k by the ratio pmf(i+1)/pmf(i) = (n-i)/(i+1) * p/(1-p).
    double logPmf = logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p);
    double odds = p / (1 - p);
    double sum = 0;
    double term = 1;
    for (long i = k; i <= n; i++) {
      sum += term;
      term *= (double) (n - i) / (i + 1) * odds;
      if (term < 1e-17 * sum) {
        break;
      }
    }
    return Math.min(1.0, Math.exp(logPmf) * sum);
  }

  private static double logChoose(long n, long k) {
    return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
  }

  /** ln(n!) exactly below 256, by Stirling's series above (error below 1e-12). */
  static double logFactorial(long n) {
    if (n < 256) {
      double s = 0;
      for (int i = 2; i <= n; i++) {
        s += Math.log(i);
      }
      return s;
    }
    double x = n;
    return x * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI * x) + 1 / (12 * x) - 1 / (360 * x * x * x);
  }
}
