package io.sitter.babysit;

import static io.sitter.babysit.Numbers.format;
import static io.sitter.babysit.Numbers.percent;

import io.sitter.metrics.CheckResult;
import io.sitter.metrics.CheckResult.Status;
import java.util.List;
import java.util.Map;

/**
 * Preflight check 1: the untrained network's loss, against what its own init gives. CS231n's
 * "expect ln C" holds for tiny logits; with the logits a real init gives (He init on the output
 * layer: logit std about 1) the loss of labels independent of the inputs is higher, so the
 * expectation is computed from the network's own outputs on the sample: the mean over examples of
 * sum_c prior_c * (-ln softmax_c). Far above ln C, that expectation itself says the init is too
 * large (a confidently wrong softmax, init_scale); the observed loss far below it says the untrained
 * net already predicts the labels (a feature that leaks the label).
 */
final class InitialLossCheck implements Check<PreflightEvidence> {
  static final String NAME = "initial_loss";

  @Override
  public List<CheckResult> judge(PreflightEvidence e) {
    return List.of(judge(e.sums().meanLoss(), e.sums().expectedLoss(), e.numClasses(),
        e.config().babysit().initialLossTolerance(), e.config().babysit().initialLossExcess()));
  }

  /**
   * @param loss mean cross-entropy of the untrained net on the sample, regularization off
   * @param expectedLoss what that loss is for labels independent of the net's outputs
   * @param tolerance pass when |loss - expected| <= tolerance * expected
   * @param excess init_scale when expected - ln C exceeds this (nats)
   */
  static CheckResult judge(double loss, double expectedLoss, int numClasses, double tolerance, double excess) {
    double lnC = Math.log(numClasses);
    double deviation = (loss - expectedLoss) / expectedLoss;
    Map<String, Double> v = Values.of("loss", loss, "expected", expectedLoss, "lnC", lnC,
        "relativeDeviation", deviation, "tolerance", tolerance, "excessOverLnC", expectedLoss - lnC,
        "excessThreshold", excess);
    String observed = format(loss) + " (the init's logits give " + format(expectedLoss) + ")";
    String expected = "within " + percent(tolerance) + " of " + format(expectedLoss) + ", itself at most ln("
        + numClasses + ") + " + format(excess) + " = " + format(lnC + excess);
    if (!Double.isFinite(loss) || !Double.isFinite(expectedLoss)) {
      return CheckResult.preflight(NAME, Status.FAIL, observed, expected,
          "The untrained network's loss is " + format(loss) + ": the inputs hold huge values or the weights "
              + "overflow; check that the features are normalized (sitter prep).", v).blaming(Cause.INIT_SCALE.id());
    }
    if (expectedLoss - lnC > excess) {
      return CheckResult.preflight(NAME, Status.FAIL, observed, expected,
          "Initial loss " + format(loss) + " is far above ln(" + numClasses + ") = " + format(lnC)
              + ": the untrained network's logits are so large that its softmax is confidently wrong; use a smaller "
              + "model.weightInit (he or xavier), batchNorm, and standardized features.", v)
          .blaming(Cause.INIT_SCALE.id());
    }
    if (deviation < -tolerance) {
      return CheckResult.preflight(NAME, Status.FAIL, observed, expected,
          "Initial loss " + format(loss) + " is far below the " + format(expectedLoss) + " the untrained network "
              + "gives for labels independent of its inputs: it already predicts the labels, so a feature probably "
              + "carries the label (a leak).", v);
    }
    return CheckResult.preflight(NAME, Status.PASS, observed, expected,
        "The untrained network's loss is what its init gives.", v);
  }
}
