package io.sitter.report;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * One line of {@code metrics.jsonl} (docs/formats.md). Every measured number is a boxed
 * {@link Double}: {@code null} when the trainer wrote null (validation outside epoch ends), and
 * NaN or an infinity when it wrote {@code "NaN"}, {@code "Infinity"} or {@code "-Infinity"}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record MetricsRow(
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
    List<LayerStats> layers) {

  MetricsRow {
    layers = layers == null ? List.of() : List.copyOf(layers);
  }

  /** The babysitter's monitors of one layer in one round. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record LayerStats(
      String layer,
      Double updateRatio,
      Double deadFraction,
      Double actMean,
      Double actStd,
      Double saturatedFraction,
      Histogram histogram) {}

  /** {@code counts.size()} equal-width bins over {@code [min, max]}. */
  record Histogram(double min, double max, List<Long> counts) {
    Histogram {
      counts = counts == null ? List.of() : List.copyOf(counts);
    }
  }
}
