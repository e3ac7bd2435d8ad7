package io.sitter.babysit;

import static io.sitter.babysit.Numbers.format;

import io.sitter.metrics.CheckResult;
import io.sitter.metrics.CheckResult.Status;
import java.util.List;
import java.util.Map;

/**
 * Preflight check 2: switching L2 on must raise the loss of the same untrained network, by about
 * {@code l2/2 * sum(W^2)} over the weight matrices (the penalty DL4J adds to the score; biases and
 * BatchNorm parameters are not penalised). A loss that does not rise means the regularization
 * never reaches the loss; one dominated by the penalty means the net will underfit.
 */
final class RegularizationCheck implements Check<PreflightEvidence> {
  static final String NAME = "regularization";
  /** A penalty off by more than this share of the expected one is not the L2 the config asked for. */
  static final double PENALTY_TOLERANCE = 0.1;

  @Override
  public List<CheckResult> judge(PreflightEvidence e) {
    return List.of(judge(e.sums().meanLoss(), e.sums().meanRegularizedLoss(), e.l2(), e.l2Probed(), e.l2Penalty()));
  }

  /**
   * @param loss mean loss without regularization
   * @param regularizedLoss mean loss of the same network with L2 strength {@code l2}
   * @param l2 the strength used
   * @param probe true when {@code l2} is the probe strength because the config's l2 is 0
   * @param expectedPenalty {@code l2/2 * sum(W^2)} computed from the weights
   */
  static CheckResult judge(double loss, double regularizedLoss, double l2, boolean probe, double expectedPenalty) {
    double penalty = regularizedLoss - loss;
    Map<String, Double> v = Values.of("loss", loss, "regularizedLoss", regularizedLoss, "l2", l2,
        "penalty", penalty, "expectedPenalty", expectedPenalty, "probe", probe ? 1.0 : 0.0);
    String strength = (probe ? "probe l2 = " : "l2 = ") + format(l2);
    String observed = format(loss) + " -> " + format(regularizedLoss) + " with " + strength;
    String expected = "higher by about " + format(expectedPenalty);
    if (!Double.isFinite(penalty)) {
      return CheckResult.preflight(NAME, Status.FAIL, observed, expected,
          "The loss with regularization is not finite; the weights are huge or the inputs are not normalized.", v)
          .blaming(Cause.INIT_SCALE.id());
    }
    if (!(penalty > 1e-7 * Math.max(1.0, loss))) {
      String why = expectedPenalty == 0
          ? "all weights are zero (model.weightInit zero?), so L2 has nothing to penalise, and the net cannot break "
              + "symmetry either; use he or xavier init."
          : "the L2 penalty never reaches the loss; check that the regularization is applied to the layers.";
      CheckResult r = CheckResult.preflight(NAME, Status.FAIL, observed, expected,
          "Regularization does not raise the loss (" + observed + "): " + why, v);
      return expectedPenalty == 0 ? r.blaming(Cause.SYMMETRIC_INIT.id()) : r;
    }
    if (Math.abs(penalty - expectedPenalty) > PENALTY_TOLERANCE * expectedPenalty) {
      return CheckResult.preflight(NAME, Status.WARN, observed, expected,
          "Regularization raises the loss by " + format(penalty) + " but l2/2 * sum(W^2) is " + format(expectedPenalty)
              + ": it applies to other parameters than the weights, or with another strength.", v);
    }
    if (!probe && penalty > loss) {
      double suggested = Numbers.oneDigit(l2 * 0.1 * loss / penalty);
      v.put("suggestedL2", suggested);
      return CheckResult.preflight(NAME, Status.WARN, observed, expected,
          "Regularization dominates the loss (penalty " + format(penalty) + " vs data loss " + format(loss)
              + "): the net will fit the penalty, not the data, and underfit; lower model.l2, e.g. to "
              + format(suggested) + ".", v).blaming(Cause.TOO_MUCH_REGULARIZATION.id());
    }
    return CheckResult.preflight(NAME, Status.PASS, observed, expected,
        "Regularization raises the loss by the expected amount.", v);
  }
}
