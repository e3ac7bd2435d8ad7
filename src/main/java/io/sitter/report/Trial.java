package io.sitter.report;

import java.util.Map;

/**
 * One line of a search's {@code trials.jsonl}: the fixed columns of docs/formats.md, and every
 * other numeric field as a sampled hyperparameter keyed by its config key (e.g. {@code
 * train.learningRate}).
 */
record Trial(
    int trial,
    String stage,
    Map<String, Double> sampled,
    Double trainLoss,
    Double valLoss,
    Double valAccuracy,
    Double trainAccuracy,
    String status,
    String reason,
    Double seconds) {
  Trial {
    sampled = Map.copyOf(sampled);
  }

  boolean aborted() {
    return "aborted".equals(status);
  }
}
