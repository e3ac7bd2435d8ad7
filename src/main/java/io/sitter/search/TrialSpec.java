package io.sitter.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sitter.config.ConfigLoader;
import io.sitter.config.SitterConfig;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One trial to run: its sampled overrides over the base configuration, how many epochs, and, for a
 * trial that survived a rung of successive halving, where it left off.
 *
 * @param overrides {@code key=value} pairs sampled from the space
 * @param startEpoch epochs already trained (0 for a new trial)
 * @param epochs epochs to train in this call
 * @param resumeFrom the state after {@code startEpoch} epochs, null for a new trial
 */
record TrialSpec(
    int trial,
    String stage,
    List<String> overrides,
    String baseConfigJson,
    int startEpoch,
    int epochs,
    long seed,
    TrialState resumeFrom)
    implements Serializable {
  TrialSpec {
    overrides = List.copyOf(overrides);
    if (epochs < 1 || startEpoch < 0) {
      throw new IllegalArgumentException("a trial runs at least one epoch from epoch >= 0, got " + epochs + " from " + startEpoch);
    }
    if ((startEpoch > 0) != (resumeFrom != null)) {
      throw new IllegalArgumentException("a trial resumes from a state exactly when startEpoch > 0");
    }
  }

  /** The trial's configuration: its sampled values, then {@code extra}, over the base. */
  SitterConfig config(String... extra) {
    List<String> all = new ArrayList<>(overrides);
    all.addAll(List.of(extra));
    try {
      return ConfigLoader.override(ConfigLoader.bind(new ObjectMapper().readTree(baseConfigJson)), all);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
