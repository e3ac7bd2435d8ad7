package io.sitter.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One finished trial, as a row of {@code trials.jsonl}/{@code trials.csv} (docs/formats.md).
 *
 * The search writes it ({@link #toJson}) and resumes from it, and the report reads it ({@link
 * #fromJson}): one record for both. Results a row lacks (or has as null) read as NaN.
 *
 * @param values the sampled values by config key ({@code train.learningRate}): numbers, or any
 *     JSON (a list of layer sizes, an activation name)
 * @param valLossEpoch1 validation loss after the first epoch, what successive halving compares
 * @param reason why it was aborted; null when completed
 */
public record TrialRecord(
    int trial,
    String stage,
    Map<String, JsonNode> values,
    boolean aborted,
    String reason,
    int epochs,
    double initialLoss,
    double valLossEpoch1,
    double trainLoss,
    double trainAccuracy,
    double valLoss,
    double valAccuracy,
    double seconds) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Results and bookkeeping of a row; in a flat row (no {@code values}) every other number was sampled. */
  private static final java.util.Set<String> COLUMNS = java.util.Set.of("trial", "stage", "train_loss", "val_loss",
      "val_accuracy", "train_accuracy", "status", "reason", "seconds", "epochs", "initial_loss", "val_loss_epoch1", "values");

  public TrialRecord {
    values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  public String status() {
    return aborted ? "aborted" : "completed";
  }

  /** The numeric sampled values (NaN/Infinity strings included) by config key. */
  public Map<String, Double> sampled() {
    Map<String, Double> out = new LinkedHashMap<>();
    values.forEach((k, v) -> {
      if (v.isNumber() || isNonFinite(v)) {
        out.put(k, v.isNumber() ? v.asDouble() : Double.valueOf(v.asText()));
      }
    });
    return out;
  }

  /** The other sampled values (a list of layer sizes, an activation name) as text: strings bare, the rest as JSON. */
  public Map<String, String> choices() {
    Map<String, String> out = new LinkedHashMap<>();
    values.forEach((k, v) -> {
      if (!v.isNumber() && !isNonFinite(v) && !v.isNull()) {
        out.put(k, v.isTextual() ? v.asText() : v.toString());
      }
    });
    return out;
  }

  public ObjectNode toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("trial", trial);
    o.put("stage", stage);
    ObjectNode v = o.putObject("values");
    values.forEach(v::set);
    o.put("status", status());
    if (reason == null) {
      o.putNull("reason");
    } else {
      o.put("reason", reason);
    }
    o.put("epochs", epochs);
    o.put("initial_loss", initialLoss);
    o.put("val_loss_epoch1", valLossEpoch1);
    o.put("train_loss", trainLoss);
    o.put("train_accuracy", trainAccuracy);
    o.put("val_loss", valLoss);
    o.put("val_accuracy", valAccuracy);
    o.put("seconds", seconds);
    return o;
  }

  /**
   * A row of {@code trials.jsonl}. A row without a {@code values} object (written by hand or an
   * older tool) has its sampled values at the top level: every number that is not a fixed column,
   * those of nested objects keyed {@code parent.child}.
   *
   * @throws IllegalArgumentException when {@code o} is not an object, {@code trial} not an integer,
   *     or a result is neither a number, one of the non-finite strings, nor null
   */
  public static TrialRecord fromJson(JsonNode o) {
    if (o == null || !o.isObject()) {
      throw new IllegalArgumentException("expected a JSON object");
    }
    if (!o.path("trial").canConvertToInt()) {
      throw new IllegalArgumentException("field 'trial' must be an integer, got " + o.path("trial"));
    }
    Map<String, JsonNode> values = new LinkedHashMap<>();
    if (o.path("values").isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = o.path("values").fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        values.put(e.getKey(), e.getValue());
      }
    } else {
      flatValues("", o, values);
    }
    return new TrialRecord(o.path("trial").asInt(), o.path("stage").asText(), values,
        o.path("status").asText().equals("aborted"), o.hasNonNull("reason") ? o.get("reason").asText() : null,
        o.path("epochs").asInt(), num(o, "initial_loss"), num(o, "val_loss_epoch1"), num(o, "train_loss"),
        num(o, "train_accuracy"), num(o, "val_loss"), num(o, "val_accuracy"), num(o, "seconds"));
  }

  private static void flatValues(String prefix, JsonNode node, Map<String, JsonNode> values) {
    node.fields().forEachRemaining(e -> {
      String key = prefix + e.getKey();
      JsonNode v = e.getValue();
      if (v.isObject()) {
        flatValues(key + ".", v, values);
      } else if (!(prefix.isEmpty() && COLUMNS.contains(key)) && (v.isNumber() || isNonFinite(v))) {
        values.put(key, v);
      }
    });
  }

  private static boolean isNonFinite(JsonNode v) {
    return v.isTextual() && java.util.Set.of("NaN", "Infinity", "-Infinity").contains(v.asText());
  }

  /** Numbers may have been written as "NaN"/"Infinity" strings; absent or null is NaN. */
  private static double num(JsonNode o, String key) {
    JsonNode n = o.path(key);
    if (n.isMissingNode() || n.isNull()) {
      return Double.NaN;
    }
    if (n.isNumber()) {
      return n.asDouble();
    }
    if (isNonFinite(n)) {
      return Double.parseDouble(n.asText());
    }
    throw new IllegalArgumentException("field '" + key + "' must be a number, got " + n);
  }
}
