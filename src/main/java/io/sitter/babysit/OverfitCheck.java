package io.sitter.babysit;

import static io.sitter.babysit.Numbers.format;
import static io.sitter.babysit.Numbers.percent;

import io.sitter.metrics.CheckResult;
import io.sitter.metrics.CheckResult.Status;
import java.util.List;
import java.util.Map;

/**
 * Preflight check 3: a network that cannot memorise 20 examples will not learn 60,000 (CS231n,
 * "make sure you can overfit very small portion of the training data"). When it fails, the numbers
 * say why: conflicting labels on identical inputs are a data bug; a loss that barely moved is a
 * learning rate too low or gradients that do not flow; a loss that fell but not far enough is a
 * model too weak or too few iterations; a non-finite loss, or one that ends above where it
 * started, is a rate too high.
 */
final class OverfitCheck implements Check<PreflightEvidence> {
  static final String NAME = "overfit_subset";
  /** A loss that kept more than this share of its initial value "barely moved". */
  static final double BARELY_MOVED = 0.9;

  @Override
  public List<CheckResult> judge(PreflightEvidence e) {
    return List.of(judge(e.overfit(), e.config().babysit().overfitLossTarget(), e.config().babysit().overfitMaxIterations()));
  }

  static CheckResult judge(OverfitOutcome o, double lossTarget, int maxIterations) {
    Map<String, Double> v = Values.of("examples", o.examples(), "iterations", o.iterations(),
        "initialLoss", o.initialLoss(), "finalLoss", o.finalLoss(), "finalAccuracy", o.finalAccuracy(),
        "bestAccuracy", o.bestAccuracy(), "lossTarget", lossTarget, "learningRate", o.learningRate());
    String observed = "loss " + format(o.initialLoss()) + " -> " + format(o.finalLoss()) + ", accuracy "
        + percent(o.finalAccuracy()) + " after " + o.iterations() + " iterations on " + o.examples() + " examples";
    String expected = "loss <= " + format(lossTarget) + " and accuracy 100% within " + maxIterations + " iterations";
    if (!Double.isFinite(o.finalLoss())) {
      return CheckResult.preflight(NAME, Status.FAIL, observed, expected,
          "The loss became " + format(o.finalLoss()) + " while memorising " + o.examples()
              + " examples: the learning rate " + format(o.learningRate()) + " is too high; try "
              + format(Numbers.oneDigit(o.learningRate() / 10)) + ".", v).blaming(Cause.LR_TOO_HIGH.id());
    }
    if (o.finalLoss() <= lossTarget && o.finalAccuracy() >= 1.0) {
      return CheckResult.preflight(NAME, Status.PASS, observed, expected,
          "The network memorises a small subset, so it can learn and the labels can be fit.", v);
    }
    if (o.bestAccuracy() < 1.0) {
      return CheckResult.preflight(NAME, Status.FAIL, observed, expected,
          "Data or label bug: in the " + o.examples() + " examples, identical feature vectors carry different labels, "
              + "so at most " + percent(o.bestAccuracy()) + " can be right; check the label column and the row alignment "
              + "of features and labels.", v).blaming(Cause.LABELS_WITHOUT_SIGNAL.id());
    }
    if (o.finalLoss() > o.initialLoss()) {
      // Full-batch gradient descent with a step small enough for the loss's curvature never raises
      // the loss (the descent lemma); a loss that ends higher than it started overshot.
      return CheckResult.preflight(NAME, Status.FAIL, observed, expected,
          "The loss rose (" + format(o.initialLoss()) + " -> " + format(o.finalLoss()) + ") in " + o.iterations()
              + " full-batch iterations: the learning rate " + format(o.learningRate()) + " overshoots; try "
              + format(Numbers.oneDigit(o.learningRate() / 10)) + ".", v).blaming(Cause.LR_TOO_HIGH.id());
    }
    if (o.finalLoss() > BARELY_MOVED * o.initialLoss()) {
      return CheckResult.preflight(NAME, Status.FAIL, observed, expected,
          "The loss barely moved (" + format(o.initialLoss()) + " -> " + format(o.finalLoss()) + ") in " + o.iterations()
              + " iterations: the learning rate " + format(o.learningRate()) + " is far too low, or gradients do not "
              + "flow (zero init, dead units); try lr " + format(Numbers.oneDigit(o.learningRate() * 10)) + ".", v)
          .blaming(Cause.LR_TOO_LOW.id());
    }
    // Slow but complete: every example is right, so the net can learn; not a warning (sensible
    // rates such as SGD at 1e-2 end here, and training goes on far longer than this check).
    if (o.finalAccuracy() >= 1.0) {
      return CheckResult.preflight(NAME, Status.PASS, observed, expected,
          "All " + o.examples() + " examples are classified right but the loss " + format(o.finalLoss())
              + " is still above " + format(lossTarget) + ": training is slow; a higher learning rate than "
              + format(o.learningRate()) + " or more iterations would finish the job.", v);
    }
    return CheckResult.preflight(NAME, Status.FAIL, observed, expected,
        "The loss fell (" + format(o.initialLoss()) + " -> " + format(o.finalLoss()) + ") but the network could not "
            + "memorise " + o.examples() + " examples (accuracy " + percent(o.finalAccuracy()) + "): the model is too "
            + "weak (widen model.hiddenLayers) or the learning rate " + format(o.learningRate()) + " too low.", v)
        .blaming(Cause.MODEL_TOO_SMALL.id());
  }
}
