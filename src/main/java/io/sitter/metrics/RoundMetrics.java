package io.sitter.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the driver knows after one round of parameter averaging; one line of {@code metrics.jsonl}
 * and one row of {@code metrics.csv} (docs/formats.md).
 *
 * @param iteration the network's iteration count after the round (minibatches fitted per partition)
 * @param examplesSeen training examples fitted so far, over all partitions
 * @param trainLoss example-weighted mean minibatch loss of the round (as DL4J scores it, L2 included)
 * @param valLoss {@code null} unless an epoch ended in this round and a validation split exists
 *
 * <p>The measured numbers are boxed: the trainer always fills them (NaN or an infinity when the
 * training diverged), but a row read back by the report ({@link
 * io.sitter.storage.MetricsWriter#fromJson}) may hold {@code null} where a file has null or lacks
 * the field (written by an older or a hand-made writer); the report draws those as gaps.
 */
public record RoundMetrics(
    int round,
    int epoch,
    long iteration,
    long examplesSeen,
    Double trainLoss,
    Double trainAccuracy,
    Double lr,
    Double roundSeconds,
    Double broadcastSeconds,
    Double computeSecondsMax,
    Double computeSecondsMean,
    Double aggregateSeconds,
    Double samplesPerSecond,
    Double valLoss,
    Double valAccuracy,
    List<LayerMetrics> layers) {

  public RoundMetrics {
    layers = layers == null ? List.of() : List.copyOf(layers);
  }

  /** The layer's metrics, or {@code null}. */
  public LayerMetrics layer(String name) {
    for (LayerMetrics l : layers) {
      if (l.layer().equals(name)) {
        return l;
      }
    }
    return null;
  }

  /**
   * The round's metrics while they are being filled: the trainer sets the scalars and update
   * ratios, then each round listener may add its per-layer monitors before the row is written.
   */
  public static final class Builder {
    private int round;
    private int epoch;
    private long iteration;
    private long examplesSeen;
    private double trainLoss;
    private double trainAccuracy;
    private double lr;
    private double roundSeconds;
    private double broadcastSeconds;
    private double computeSecondsMax;
    private double computeSecondsMean;
    private double aggregateSeconds;
    private double samplesPerSecond;
    private Double valLoss;
    private Double valAccuracy;
    /** Per-class figures of the validation split, for the babysitter; not part of metrics.jsonl. */
    private List<EvaluationResult.PerClass> valPerClass = List.of();
    private final Map<String, LayerMetrics.Builder> layers = new LinkedHashMap<>();

    public Builder round(int v) {
      round = v;
      return this;
    }

    public Builder epoch(int v) {
      epoch = v;
      return this;
    }

    public Builder iteration(long v) {
      iteration = v;
      return this;
    }

    public Builder examplesSeen(long v) {
      examplesSeen = v;
      return this;
    }

    public Builder trainLoss(double v) {
      trainLoss = v;
      return this;
    }

    public Builder trainAccuracy(double v) {
      trainAccuracy = v;
      return this;
    }

    public Builder lr(double v) {
      lr = v;
      return this;
    }

    public Builder roundSeconds(double v) {
      roundSeconds = v;
      return this;
    }

    public Builder broadcastSeconds(double v) {
      broadcastSeconds = v;
      return this;
    }

    public Builder computeSecondsMax(double v) {
      computeSecondsMax = v;
      return this;
    }

    public Builder computeSecondsMean(double v) {
      computeSecondsMean = v;
      return this;
    }

    public Builder aggregateSeconds(double v) {
      aggregateSeconds = v;
      return this;
    }

    public Builder samplesPerSecond(double v) {
      samplesPerSecond = v;
      return this;
    }

    public Builder valLoss(Double v) {
      valLoss = v;
      return this;
    }

    public Builder valAccuracy(Double v) {
      valAccuracy = v;
      return this;
    }

    public Builder valPerClass(List<EvaluationResult.PerClass> v) {
      valPerClass = List.copyOf(v);
      return this;
    }

    /** Per-class precision, recall and support on the validation split; empty when not evaluated this round. */
    public List<EvaluationResult.PerClass> valPerClass() {
      return valPerClass;
    }

    public int round() {
      return round;
    }

    public int epoch() {
      return epoch;
    }

    /** The round's learning rate, computed once by the trainer before the round (metrics.jsonl's {@code lr}). */
    public double lr() {
      return lr;
    }

    public double trainLoss() {
      return trainLoss;
    }

    public double trainAccuracy() {
      return trainAccuracy;
    }

    public Double valLoss() {
      return valLoss;
    }

    public Double valAccuracy() {
      return valAccuracy;
    }

    /** The named layer's metrics, created (in call order) on first use. */
    public LayerMetrics.Builder layer(String name) {
      return layers.computeIfAbsent(name, LayerMetrics.Builder::new);
    }

    /** Names of the layers that have metrics so far, in order. */
    public List<String> layerNames() {
      return new ArrayList<>(layers.keySet());
    }

    public RoundMetrics build() {
      List<LayerMetrics> built = new ArrayList<>();
      for (LayerMetrics.Builder b : layers.values()) {
        built.add(b.build());
      }
      return new RoundMetrics(round, epoch, iteration, examplesSeen, trainLoss, trainAccuracy, lr, roundSeconds,
          broadcastSeconds, computeSecondsMax, computeSecondsMean, aggregateSeconds, samplesPerSecond, valLoss,
          valAccuracy, built);
    }
  }
}
