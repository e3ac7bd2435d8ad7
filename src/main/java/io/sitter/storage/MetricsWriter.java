package io.sitter.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitter.metrics.LayerMetrics;
import io.sitter.metrics.RoundMetrics;
import org.apache.hadoop.fs.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code RUN/metrics.jsonl} (one JSON object per round, committed each round, so an abort
 * or a kill of the driver keeps every finished round, on HDFS and object stores too: see {@link
 * JsonLinesTable} for how) and {@code RUN/metrics.csv} (the same rows with each layer's monitors as
 * {@code field[layer]} columns; no histograms). Made by {@link RunDirectory}.
 */
public final class MetricsWriter implements AutoCloseable {
  static final String NAME = "metrics";
  static final List<String> SCALARS = List.of(
      "round", "epoch", "iteration", "examples_seen", "train_loss", "train_accuracy", "lr", "round_seconds",
      "broadcast_seconds", "compute_seconds_max", "compute_seconds_mean", "aggregate_seconds",
      "samples_per_second", "val_loss", "val_accuracy");
  static final List<String> LAYER_FIELDS =
      List.of("update_ratio", "dead_fraction", "act_mean", "act_std", "saturated_fraction");
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * Reads rows back into {@link RoundMetrics}: the keys of {@link #toJson} are the components'
   * names in snake case. Tolerant where the format may grow (unknown fields are ignored) and of
   * bare {@code NaN} tokens; the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}
   * that {@link #toJson} writes read as the special values.
   */
  private static final ObjectMapper READER = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .build();

  private final JsonLinesTable table;

  private MetricsWriter(JsonLinesTable table) {
    this.table = table;
  }

  /** A writer starting empty files in {@code runDir}. */
  static MetricsWriter create(CommittedFiles files, Path runDir) {
    return new MetricsWriter(JsonLinesTable.create(files, runDir, NAME, MetricsWriter::flatten));
  }

  /**
   * A writer continuing a run resumed after round {@code lastRound}: rows of later rounds (written
   * after the checkpoint by the interrupted run) are dropped, since the resumed run redoes them.
   */
  static MetricsWriter resume(CommittedFiles files, Path runDir, int lastRound) {
    return new MetricsWriter(JsonLinesTable.reopen(files, runDir, NAME, MetricsWriter::flatten,
        row -> row.path("round").asInt(Integer.MAX_VALUE) <= lastRound));
  }

  /** Appends one round; it is committed when this returns. */
  public void append(RoundMetrics m) {
    table.append(toJson(m));
  }

  /** Writes the compacted {@code metrics.jsonl} and {@code metrics.csv}. */
  @Override
  public void close() {
    table.close();
  }

  /** The rows written so far, as JSON objects. */
  public List<ObjectNode> rows() {
    return table.rows();
  }

  /** The JSON object of one round, keys as in docs/formats.md. */
  public static ObjectNode toJson(RoundMetrics m) {
    ObjectNode o = JSON.createObjectNode();
    o.put("round", m.round());
    o.put("epoch", m.epoch());
    o.put("iteration", m.iteration());
    o.put("examples_seen", m.examplesSeen());
    o.put("train_loss", m.trainLoss());
    o.put("train_accuracy", m.trainAccuracy());
    o.put("lr", m.lr());
    o.put("round_seconds", m.roundSeconds());
    o.put("broadcast_seconds", m.broadcastSeconds());
    o.put("compute_seconds_max", m.computeSecondsMax());
    o.put("compute_seconds_mean", m.computeSecondsMean());
    o.put("aggregate_seconds", m.aggregateSeconds());
    o.put("samples_per_second", m.samplesPerSecond());
    o.put("val_loss", m.valLoss());
    o.put("val_accuracy", m.valAccuracy());
    ArrayNode layers = o.putArray("layers");
    for (LayerMetrics l : m.layers()) {
      ObjectNode lo = layers.addObject();
      lo.put("layer", l.layer());
      lo.put("update_ratio", l.updateRatio());
      lo.put("dead_fraction", l.deadFraction());
      lo.put("act_mean", l.actMean());
      lo.put("act_std", l.actStd());
      lo.put("saturated_fraction", l.saturatedFraction());
      if (l.histogram() == null) {
        lo.putNull("histogram");
      } else {
        ObjectNode h = lo.putObject("histogram");
        h.put("min", l.histogram().min());
        h.put("max", l.histogram().max());
        ArrayNode counts = h.putArray("counts");
        l.histogram().counts().forEach(counts::add);
      }
    }
    return o;
  }

  /**
   * One line of {@code metrics.jsonl} as the record {@link #toJson} wrote it from (for the report).
   * Absent or null measurements read as {@code null}.
   *
   * @throws JsonProcessingException when the line is not JSON or a field has the wrong type
   * @throws IllegalArgumentException when the line is JSON {@code null}
   */
  public static RoundMetrics fromJson(String line) throws JsonProcessingException {
    RoundMetrics row = READER.readValue(line, RoundMetrics.class);
    if (row == null) {
      throw new IllegalArgumentException("null instead of a JSON object");
    }
    return row;
  }

  /** The scalars, then each layer's monitors as {@code field[layer]}. */
  static Map<String, String> flatten(ObjectNode row) {
    Map<String, String> cells = new LinkedHashMap<>();
    for (String s : SCALARS) {
      cells.put(s, JsonLinesTable.cell(row.get(s)));
    }
    for (JsonNode l : row.path("layers")) {
      for (String f : LAYER_FIELDS) {
        cells.put(f + "[" + l.path("layer").asText() + "]", JsonLinesTable.cell(l.get(f)));
      }
    }
    return cells;
  }
}
