package io.sitter.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sitter.config.BadInputException;
import io.sitter.metrics.EvaluationResult;
import io.sitter.metrics.RoundMetrics;
import io.sitter.metrics.TrialRecord;
import io.sitter.storage.MetricsWriter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import io.sitter.storage.RunDirectory;
import java.io.InputStream;
import java.io.InputStreamReader;
import org.apache.hadoop.fs.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a run or search directory into a {@link Run}, with Jackson; the files are reached through
 * {@link RunDirectory}, which knows their names and ignores uncommitted ones.
 *
 * <p>Tolerant where the format may grow (unknown fields are ignored, so a report still renders
 * from files a newer trainer wrote), strict where the data is unusable (a line that is not JSON, a
 * field of the wrong type): those are {@link BadInputException}s naming the file and line.
 * Non-finite numbers arrive as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"};
 * Jackson's {@code Double} deserializer turns those strings into the special values before any
 * coercion check (NumberDeserializers#_checkDoubleSpecialValue), and bare {@code NaN} tokens are
 * accepted too (ALLOW_NON_NUMERIC_NUMBERS).
 */
final class RunReader {
  static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private RunReader() {}

  /**
   * @throws BadInputException when {@code dir} is not a directory, holds none of {@link
   *     RunDirectory#REPORTABLE}, or a file in it is malformed (the message names the file and line)
   */
  static Run read(RunDirectory dir) {
    if (!dir.isDirectory()) {
      throw new BadInputException(dir.path() + ": not a directory (expected a run or search directory)");
    }
    boolean metrics = dir.hasMetrics();
    boolean trials = dir.hasTrials();
    if (!metrics && !trials && !dir.has(RunDirectory.CHECKS) && !dir.has(RunDirectory.EVALUATION)) {
      throw new BadInputException(
          dir.path() + ": nothing to report: none of " + String.join(", ", RunDirectory.REPORTABLE) + " is in this directory");
    }
    List<String> notes = new ArrayList<>();
    // Through the writer's own record (MetricsWriter#toJson wrote these lines from it): one schema.
    List<RoundMetrics> rounds = metrics ? readLines(dir.file(RunDirectory.METRICS), dir::metricsLines, MetricsWriter::fromJson, notes) : List.of();
    List<TrialRecord> trialRows = trials ? readLines(dir.file(RunDirectory.TRIALS), dir::trialsLines, RunReader::trial, notes) : List.of();
    return new Run(
        dir.path(),
        rounds,
        // Through the writers' own records: one schema for checks.json and evaluation.json.
        dir.checks(),
        dir.evaluation().map(text -> evaluation(dir, text)),
        readObject(dir, RunDirectory.CONFIG, JsonNode.class),
        readObject(dir, RunDirectory.PREPROCESSING, JsonNode.class),
        readObject(dir, RunDirectory.TRAINING, JsonNode.class),
        trialRows,
        notes);
  }

  private static EvaluationResult evaluation(RunDirectory dir, String text) {
    try {
      return EvaluationResult.fromJson(text, dir.file(RunDirectory.EVALUATION));
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage(), e);
    }
  }

  private static <T> Optional<T> readObject(RunDirectory dir, String name, Class<T> type) {
    Optional<String> text = dir.readText(name);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Path file = dir.file(name);
    try {
      T value = JSON.readValue(text.get(), type);
      if (value == null) {
        throw new BadInputException(file + ": empty file, expected a JSON object");
      }
      return Optional.of(value);
    } catch (JsonProcessingException e) {
      throw new BadInputException(file + ": " + describe(e), e);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot read", e);
    }
  }

  private interface LineParser<T> {
    T parse(String line) throws JsonProcessingException;
  }

  /**
   * Blank lines are skipped (a trailing newline, or one a user left); anything else must parse,
   * except the file's last line: the trainer appends and syncs one line per round, so a crash can
   * cut the last one short. That line is left out with a note, as the trainer's own reader
   * (io.sitter.metrics.JsonLinesTable#read) does when it resumes.
   */
  /** The streamed lines of a table ({@code metrics.jsonl} or its segments while a run is going). */
  private interface Lines {
    InputStream open() throws IOException;
  }

  private static <T> List<T> readLines(Path file, Lines lines, LineParser<T> parser, List<String> notes) {
    List<T> out = new ArrayList<>();
    // Streamed, one line held back: only the last non-blank line may be a crash's half line, and a
    // long run's file (100+ MB) need not sit in memory as text.
    try (BufferedReader in = new BufferedReader(new InputStreamReader(lines.open(), StandardCharsets.UTF_8))) {
      String pending = null;
      int pendingNumber = 0;
      int number = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        if (pending != null) {
          parse(file, pending, pendingNumber, parser, out, false, notes);
        }
        pending = line;
        pendingNumber = number;
      }
      if (pending != null) {
        parse(file, pending, pendingNumber, parser, out, true, notes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot read", e);
    }
    return out;
  }

  private static <T> void parse(
      Path file, String line, int number, LineParser<T> parser, List<T> out, boolean last, List<String> notes) {
    try {
      out.add(parser.parse(line));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      if (last && e instanceof JsonProcessingException && !line.stripTrailing().endsWith("}")) {
        notes.add("The last line of " + file.getName() + " (line " + number
            + ") was cut short, probably by a crash while it was written, and is left out.");
        return;
      }
      String why = e instanceof JsonProcessingException j ? describe(j) : e.getMessage();
      throw new BadInputException(file + " line " + number + ": " + why, e);
    }
  }

  /** Through the search's own record (it wrote the line from a TrialRecord): one schema. */
  private static TrialRecord trial(String line) throws JsonProcessingException {
    return TrialRecord.fromJson(JSON.readTree(line));
  }

  private static String describe(JsonProcessingException e) {
    return e.getOriginalMessage();
  }
}
