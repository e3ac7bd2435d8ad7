package io.sitter.babysit;

import io.sitter.config.SitterConfig;
import io.sitter.metrics.LrProbeCurve;
import java.util.Objects;

/**
 * What the preflight checks judge, all measured before any training on samples of the training
 * split (see {@link PreflightJob}).
 *
 * @param sums the untrained network's losses, with and without L2, and the sample's feature
 *     scales and class counts
 * @param l2 the L2 strength of the regularized loss in {@code sums}
 * @param l2Probed true when {@code l2} is the probe's (model.l2 is 0), not the configured one
 * @param l2Penalty the penalty {@code l2} puts on the initial weights, l2/2 * ||W||^2
 * @param overfit what memorising the small subset gave
 * @param lrProbe the learning-rate range test's curve
 */
record PreflightEvidence(
    SitterConfig config,
    int numClasses,
    LossAccumulator sums,
    double l2,
    boolean l2Probed,
    double l2Penalty,
    OverfitOutcome overfit,
    LrProbeCurve lrProbe) {

  PreflightEvidence {
    Objects.requireNonNull(config);
    Objects.requireNonNull(sums);
    Objects.requireNonNull(overfit);
    Objects.requireNonNull(lrProbe);
  }
}
