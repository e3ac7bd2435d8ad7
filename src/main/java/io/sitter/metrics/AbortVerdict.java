package io.sitter.metrics;

import java.io.Serializable;
import java.util.Objects;

/**
 * Why the babysitter stopped training: the {@code aborted} object of {@code checks.json}.
 *
 * @param round the round whose loss triggered the abort
 * @param reason plain words, e.g. "loss 7.1 > 3x initial 2.30"
 * @param loss the loss that triggered it (may be NaN/Infinity)
 * @param initialLoss the loss of the untrained network the rule compares with
 * @param layer the layer with the largest update/weight ratio that round; null when unknown
 * @param updateRatio that ratio; NaN when unknown
 * @param learningRate the rate in use
 * @param suggestedLearningRate a lower rate to try
 */
public record AbortVerdict(
    int round,
    String reason,
    double loss,
    double initialLoss,
    String layer,
    double updateRatio,
    double learningRate,
    double suggestedLearningRate)
    implements Serializable {

  public AbortVerdict {
    Objects.requireNonNull(reason, "reason");
  }
}
