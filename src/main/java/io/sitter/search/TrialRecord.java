package io.sitter.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One finished trial, as a row of {@code trials.jsonl}/{@code trials.csv} (docs/formats.md).
 *
 * @param valLossEpoch1 validation loss after the first epoch, what successive halving compares
 * @param reason why it was aborted; null when completed
 */
record TrialRecord(
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

  TrialRecord {
    values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  String status() {
    return aborted ? "aborted" : "completed";
  }

  ObjectNode toJson() {
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

  static TrialRecord fromJson(JsonNode o) {
    Map<String, JsonNode> values = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = o.path("values").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      values.put(e.getKey(), e.getValue());
    }
    return new TrialRecord(o.path("trial").asInt(), o.path("stage").asText(), values,
        o.path("status").asText().equals("aborted"), o.path("reason").isNull() ? null : o.path("reason").asText(),
        o.path("epochs").asInt(), num(o, "initial_loss"), num(o, "val_loss_epoch1"), num(o, "train_loss"),
        num(o, "train_accuracy"), num(o, "val_loss"), num(o, "val_accuracy"), num(o, "seconds"));
  }

  /** Numbers may have been written as "NaN"/"Infinity" strings. */
  private static double num(JsonNode o, String key) {
    JsonNode n = o.path(key);
    return n.isNumber() ? n.asDouble() : n.isTextual() ? Double.parseDouble(n.asText()) : Double.NaN;
  }
}
