package io.sitter.babysit;

import static io.sitter.babysit.Numbers.format;
import static io.sitter.babysit.Numbers.percent;

import io.sitter.metrics.CheckResult;
import io.sitter.metrics.CheckResult.Status;
import java.util.Map;

/**
 * Preflight check 1: the untrained network's loss. A diffuse softmax over C classes gives ln C
 * whatever the labels are (CS231n, "sanity checks"). Far above means confident wrong guesses
 * (weights too large, saturated softmax); far below means the net already knows something it
 * cannot have learned: either the class frequencies (then the loss sits near the entropy of the
 * label distribution, as when the output bias holds the class priors) or the labels themselves
 * (a leak).
 */
final class InitialLossCheck {
  static final String NAME = "initial_loss";

  private InitialLossCheck() {}

  /**
   * @param loss mean cross-entropy of the untrained net on the sample, regularization off
   * @param labelEntropy entropy (nats) of the sample's label distribution
   * @param majorityShare share of the most frequent class in the sample
   * @param tolerance pass when |loss - ln C| <= tolerance * ln C
   */
  static CheckResult judge(double loss, int numClasses, double labelEntropy, double majorityShare, double tolerance) {
    double lnC = Math.log(numClasses);
    double deviation = (loss - lnC) / lnC;
    Map<String, Double> v = MonitorJudge.values("loss", loss, "expected", lnC, "relativeDeviation", deviation,
        "tolerance", tolerance, "labelEntropy", labelEntropy, "majorityShare", majorityShare);
    String observed = format(loss);
    String expected = "about ln(" + numClasses + ") = " + format(lnC) + " (within " + percent(tolerance) + ")";
    if (!Double.isFinite(loss)) {
      return CheckResult.preflight(NAME, Status.FAIL, observed, expected,
          "The untrained network's loss is " + format(loss) + ": the inputs hold huge or non-finite values, or the "
              + "weights overflow; check that the features are normalized (sitter prep).", v);
    }
    if (Math.abs(deviation) <= tolerance) {
      return CheckResult.preflight(NAME, Status.PASS, observed, expected,
          "The untrained network's softmax is diffuse, as it should be.", v);
    }
    if (deviation > 0) {
      return CheckResult.preflight(NAME, Status.FAIL, observed, expected,
          "Initial loss " + format(loss) + " is far above ln(" + numClasses + ") = " + format(lnC)
              + ": the untrained network is confidently wrong, so the initial weights are too large or the softmax "
              + "saturates; use a smaller model.weightInit (he or xavier) and check the features are standardized.", v);
    }
    // Below ln C. The class frequencies alone can bring a net down to the label entropy, not lower.
    if (loss >= labelEntropy * (1 - tolerance)) {
      return CheckResult.preflight(NAME, Status.WARN, observed, expected,
          "Initial loss " + format(loss) + " is below ln(" + numClasses + ") = " + format(lnC)
              + " but close to the entropy of the label distribution (" + format(labelEntropy)
              + "): the classes are unbalanced (the largest holds " + percent(majorityShare)
              + ") and the untrained net already predicts their frequencies. Fine if the output bias was set to "
              + "the class priors; otherwise look for a feature that leaks the label.", v);
    }
    return CheckResult.preflight(NAME, Status.FAIL, observed, expected,
        "Initial loss " + format(loss) + " is below both ln(" + numClasses + ") = " + format(lnC)
            + " and the label entropy " + format(labelEntropy) + ": the untrained network predicts the labels, so a "
            + "feature probably carries the label (a leak), or the loss does not see the real labels.", v);
  }
}
