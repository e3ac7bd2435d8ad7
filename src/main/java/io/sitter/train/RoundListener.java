package io.sitter.train;

import io.sitter.metrics.RoundMetrics;

/**
 * The babysitter's hook into training. Called on the driver, in order, with the merged network.
 *
 * <p>{@link #afterRound} may add per-layer monitors to the round's metrics before they are written
 * ({@code m.layer("dense_0").deadFraction(0.02)}), and may throw
 * {@link io.sitter.config.TrainingAbortedException}: the trainer then writes the round's metrics,
 * keeps the last checkpoint, writes no final model, and rethrows (exit 3).
 */
public interface RoundListener {
  /** Before the first round (also when resuming): preflight checks. */
  default void beforeTraining(TrainingView view) {}

  /** After each round's merge, before its metrics are written. */
  void afterRound(TrainingView view, RoundMetrics.Builder metrics);

  /** After the last round (and the BatchNorm re-estimation), before the model is written. */
  default void afterTraining(TrainingView view) {}
}
