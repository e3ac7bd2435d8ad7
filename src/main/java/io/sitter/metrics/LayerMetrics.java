package io.sitter.metrics;

import java.util.List;
import java.util.Objects;

/**
 * One layer's monitors in one round. Every measurement is optional ({@code null} = not measured):
 * the trainer fills {@code updateRatio}, the babysitter the activation statistics.
 *
 * @param layer {@code dense_0}, {@code dense_1}, ..., {@code output}
 * @param updateRatio mean over the round's minibatches of ||W_after - W_before|| / ||W_before||
 */
public record LayerMetrics(
    String layer,
    Double updateRatio,
    Double deadFraction,
    Double actMean,
    Double actStd,
    Double saturatedFraction,
    Histogram histogram) {

  public LayerMetrics {
    Objects.requireNonNull(layer, "layer");
  }

  /** Counts of a layer's activations in equal-width bins over [min, max]. */
  public record Histogram(double min, double max, List<Integer> counts) {
    public Histogram {
      counts = List.copyOf(counts);
      if (counts.isEmpty()) {
        throw new IllegalArgumentException("histogram needs at least one bin");
      }
    }
  }

  /** Mutable while a round's metrics are being collected (trainer, then listeners). */
  public static final class Builder {
    private final String layer;
    private Double updateRatio;
    private Double deadFraction;
    private Double actMean;
    private Double actStd;
    private Double saturatedFraction;
    private Histogram histogram;

    Builder(String layer) {
      this.layer = Objects.requireNonNull(layer, "layer");
    }

    public String layer() {
      return layer;
    }

    public Double updateRatio() {
      return updateRatio;
    }

    public Builder updateRatio(Double v) {
      updateRatio = v;
      return this;
    }

    public Builder deadFraction(Double v) {
      deadFraction = v;
      return this;
    }

    public Builder actMean(Double v) {
      actMean = v;
      return this;
    }

    public Builder actStd(Double v) {
      actStd = v;
      return this;
    }

    public Builder saturatedFraction(Double v) {
      saturatedFraction = v;
      return this;
    }

    public Builder histogram(Histogram v) {
      histogram = v;
      return this;
    }

    public LayerMetrics build() {
      return new LayerMetrics(layer, updateRatio, deadFraction, actMean, actStd, saturatedFraction, histogram);
    }
  }
}
