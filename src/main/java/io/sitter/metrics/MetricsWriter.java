package io.sitter.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes {@code RUN/metrics.jsonl} (one JSON object per round, appended and flushed to disk each
 * round, so an abort or a crash keeps every finished round) and {@code RUN/metrics.csv} (the same
 * rows flattened; rewritten whole each round through a temporary sibling because a new layer
 * monitor can add columns). Non-finite numbers become the JSON strings {@code "NaN"},
 * {@code "Infinity"}, {@code "-Infinity"} (Jackson's default QUOTE_NON_NUMERIC_NUMBERS).
 */
public final class MetricsWriter {
  public static final String JSONL = "metrics.jsonl";
  public static final String CSV = "metrics.csv";
  static final List<String> SCALARS = List.of(
      "round", "epoch", "iteration", "examples_seen", "train_loss", "train_accuracy", "lr", "round_seconds",
      "broadcast_seconds", "compute_seconds_max", "compute_seconds_mean", "aggregate_seconds",
      "samples_per_second", "val_loss", "val_accuracy");
  static final List<String> LAYER_FIELDS =
      List.of("update_ratio", "dead_fraction", "act_mean", "act_std", "saturated_fraction");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path jsonl;
  private final Path csv;
  private final List<ObjectNode> rows;

  private MetricsWriter(Path runDir, List<ObjectNode> rows) {
    this.jsonl = runDir.resolve(JSONL);
    this.csv = runDir.resolve(CSV);
    this.rows = rows;
  }

  /** A writer starting empty files in {@code runDir}. */
  public static MetricsWriter create(Path runDir) {
    MetricsWriter w = new MetricsWriter(runDir, new ArrayList<>());
    w.rewriteAll();
    return w;
  }

  /**
   * A writer continuing a run resumed after round {@code lastRound}: rows of later rounds (written
   * after the checkpoint by the interrupted run) are dropped, since the resumed run redoes them.
   */
  public static MetricsWriter resume(Path runDir, int lastRound) {
    List<ObjectNode> kept = new ArrayList<>();
    Path file = runDir.resolve(JSONL);
    if (Files.exists(file)) {
      try {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (line.isBlank()) {
            continue;
          }
          JsonNode node;
          try {
            node = JSON.readTree(line);
          } catch (IOException e) {
            break; // a line cut short by a crash: everything before it is intact
          }
          if (node instanceof ObjectNode o && o.path("round").asInt(Integer.MAX_VALUE) <= lastRound) {
            kept.add(o);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    MetricsWriter w = new MetricsWriter(runDir, kept);
    w.rewriteAll();
    return w;
  }

  /** Appends one round to both files and forces the JSON line to disk. */
  public void append(RoundMetrics m) {
    ObjectNode row = toJson(m);
    rows.add(row);
    try {
      Files.writeString(jsonl, JSON.writeValueAsString(row) + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    writeCsv();
  }

  /** The rows written so far, as JSON objects. */
  public List<ObjectNode> rows() {
    return List.copyOf(rows);
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

  private void rewriteAll() {
    StringBuilder sb = new StringBuilder();
    try {
      for (ObjectNode row : rows) {
        sb.append(JSON.writeValueAsString(row)).append('\n');
      }
      Files.createDirectories(jsonl.toAbsolutePath().getParent());
      writeAtomically(jsonl, sb.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    writeCsv();
  }

  private void writeCsv() {
    Set<String> layerNames = new LinkedHashSet<>();
    for (ObjectNode row : rows) {
      for (JsonNode l : row.path("layers")) {
        layerNames.add(l.path("layer").asText());
      }
    }
    StringBuilder sb = new StringBuilder();
    List<String> header = new ArrayList<>(SCALARS);
    for (String layer : layerNames) {
      for (String f : LAYER_FIELDS) {
        header.add(f + "[" + layer + "]");
      }
    }
    sb.append(String.join(",", header)).append('\n');
    for (ObjectNode row : rows) {
      List<String> cells = new ArrayList<>();
      for (String s : SCALARS) {
        cells.add(cell(row.get(s)));
      }
      for (String layer : layerNames) {
        JsonNode l = findLayer(row, layer);
        for (String f : LAYER_FIELDS) {
          cells.add(l == null ? "" : cell(l.get(f)));
        }
      }
      sb.append(String.join(",", cells)).append('\n');
    }
    writeAtomically(csv, sb.toString());
  }

  private static JsonNode findLayer(ObjectNode row, String name) {
    for (JsonNode l : row.path("layers")) {
      if (name.equals(l.path("layer").asText())) {
        return l;
      }
    }
    return null;
  }

  private static String cell(JsonNode v) {
    if (v == null || v.isNull()) {
      return "";
    }
    if (v.isTextual()) {
      return v.asText(); // "NaN" / "Infinity" written as strings in JSON
    }
    if (v.isIntegralNumber()) {
      return v.asText();
    }
    return String.format(Locale.ROOT, "%s", v.asDouble());
  }

  private static void writeAtomically(Path target, String content) {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      w.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
