package io.sitter.report;

import io.sitter.metrics.TrialRecord;
import io.sitter.metrics.RoundMetrics;
import com.fasterxml.jackson.databind.JsonNode;
import io.sitter.metrics.ChecksReport;
import io.sitter.metrics.EvaluationResult;
import org.apache.hadoop.fs.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything the report shows, as read from one run (or search) directory. Each file is
 * optional on its own; {@link RunReader#read} refuses a directory that has none of them. {@code
 * notes} say what the reader had to leave out (a last line cut short by a crash).
 */
record Run(
    Path dir,
    List<RoundMetrics> rounds,
    Optional<ChecksReport> checks,
    Optional<EvaluationResult> evaluation,
    Optional<JsonNode> config,
    Optional<JsonNode> preprocessing,
    Optional<JsonNode> training,
    List<TrialRecord> trials,
    List<String> notes) {
  Run {
    rounds = List.copyOf(rounds);
    trials = List.copyOf(trials);
    notes = List.copyOf(notes);
  }
}
