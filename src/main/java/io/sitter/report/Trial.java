package io.sitter.report;

import java.util.Map;

/**
 * One line of a search's {@code trials.jsonl}: the fixed columns of docs/formats.md and the
 * sampled hyperparameters by config key (e.g. {@code train.learningRate}): numbers in {@code
 * sampled}, anything else (a list of layer sizes, an activation name) as JSON text in {@code choices}.
 */
record Trial(
    int trial,
    String stage,
    Map<String, Double> sampled,
    Map<String, String> choices,
    Double trainLoss,
    Double valLoss,
    Double valAccuracy,
    Double trainAccuracy,
    String status,
    String reason,
    Double seconds) {
  Trial {
    sampled = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sampled));
    choices = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(choices));
  }

  boolean aborted() {
    return "aborted".equals(status);
  }
}
