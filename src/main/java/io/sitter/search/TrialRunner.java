package io.sitter.search;

import java.util.List;
import java.util.function.Consumer;

/** Runs a stage's trials somewhere on the cluster, stopping the hopeless ones early. */
interface TrialRunner extends AutoCloseable {
  /**
   * Runs each spec to its {@code epochs()}, stopping a trial when its loss explodes (NaN/Inf or above
   * {@code babysit.abortLossFactor} times its initial loss) or, by successive halving, when its
   * validation loss after the first epoch exceeds {@code haltFactor} times the best first-epoch
   * validation loss of the stage (those already known included). Each finished trial is handed to
   * {@code finished} as soon as it is known.
   */
  void runStage(List<TrialSpec> specs, double haltFactor, double bestFirstEpochLoss, Consumer<Finished> finished);

  @Override
  void close();

  /**
   * A finished trial.
   *
   * @param stopReason why it stopped early ("exploded: ..." or "halted: ..."), null when it completed
   */
  record Finished(TrialOutcome outcome, double valLossEpoch1, String stopReason) {}

  /** The halting verdict, shared by both modes so they stop trials alike. */
  static String haltReason(double valLossEpoch1, double haltFactor, double bestFirstEpochLoss) {
    if (valLossEpoch1 <= haltFactor * bestFirstEpochLoss) {
      return null;
    }
    return String.format(java.util.Locale.ROOT,
        "halted: validation loss %.4g after epoch 1 is more than %.2gx the stage's best %.4g",
        valLossEpoch1, haltFactor, bestFirstEpochLoss);
  }
}
