package io.sitter.babysit;

import io.sitter.metrics.EvaluationResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the babysitter sees of one round of training.
 *
 * @param loss the round's training loss
 * @param learningRate the rate in use
 * @param updateRatios per Dense/Output layer, the mean over the round's iterations of ||dW|| / ||W||
 * @param hidden activation statistics of each hidden block on the probe batch, in depth order
 * @param gradientRms per Dense/Output layer in depth order, the root mean square of the loss
 *     gradient of its weight matrix on the probe batch (empty when not measured)
 * @param trainAccuracy train accuracy when an epoch ended this round, else null
 * @param valAccuracy validation accuracy when an epoch ended this round, else null
 * @param epoch the round's 1-based epoch
 * @param lastEpoch whether it is the run's last epoch
 * @param valPerClass per-class recall and support on the validation split when an epoch ended this
 *     round, else empty
 */
public record RoundObservation(
    int round,
    double loss,
    double learningRate,
    Map<String, Double> updateRatios,
    List<ActivationStats> hidden,
    Map<String, Double> gradientRms,
    Double trainAccuracy,
    Double valAccuracy,
    int epoch,
    boolean lastEpoch,
    List<EvaluationResult.PerClass> valPerClass) {

  public RoundObservation {
    updateRatios = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(updateRatios)));
    hidden = List.copyOf(hidden);
    gradientRms = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(gradientRms)));
    valPerClass = List.copyOf(valPerClass);
  }

  /** A round without per-class validation figures. */
  public RoundObservation(int round, double loss, double learningRate, Map<String, Double> updateRatios,
      List<ActivationStats> hidden, Map<String, Double> gradientRms, Double trainAccuracy, Double valAccuracy, int epoch,
      boolean lastEpoch) {
    this(round, loss, learningRate, updateRatios, hidden, gradientRms, trainAccuracy, valAccuracy, epoch, lastEpoch,
        List.of());
  }
}
