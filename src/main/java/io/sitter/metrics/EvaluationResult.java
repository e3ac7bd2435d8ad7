package io.sitter.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of evaluating a classifier on a labelled data set: count, mean cross-entropy loss,
 * accuracy, per-class precision/recall/F1/support and the confusion matrix {@code
 * [actual][predicted]}. Immutable; written as {@code evaluation.json} (docs/formats.md).
 *
 * <p>Edge cases follow DL4J's {@code Evaluation} and scikit-learn's {@code zero_division=0}: a
 * class never predicted has precision 0, a class absent from the data has recall 0, and F1 is 0
 * when precision + recall is 0. With no examples at all, accuracy and loss are NaN.
 */
public final class EvaluationResult {
  static final int SCHEMA_VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** One class's row of the report. */
  public record PerClass(String name, double precision, double recall, double f1, long support) {}

  private final List<String> classes;
  private final long[][] confusion;
  private final long count;
  private final double loss;
  private final double accuracy;
  private final List<PerClass> perClass;

  private EvaluationResult(List<String> classes, long[][] confusion, long count, double loss) {
    this.classes = List.copyOf(classes);
    this.confusion = confusion;
    this.count = count;
    this.loss = loss;
    int n = classes.size();
    long correct = 0;
    List<PerClass> rows = new ArrayList<>(n);
    for (int c = 0; c < n; c++) {
      long tp = confusion[c][c];
      long support = 0;
      long predicted = 0;
      for (int o = 0; o < n; o++) {
        support += confusion[c][o];
        predicted += confusion[o][c];
      }
      correct += tp;
      double precision = predicted == 0 ? 0.0 : (double) tp / predicted;
      double recall = support == 0 ? 0.0 : (double) tp / support;
      double f1 = precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);
      rows.add(new PerClass(classes.get(c), precision, recall, f1, support));
    }
    this.accuracy = count == 0 ? Double.NaN : (double) correct / count;
    this.perClass = List.copyOf(rows);
  }

  /**
   * The result of {@code acc}.
   *
   * @param classes the name of each class index, in index order; {@code null} or empty names
   *     them "0", "1", ...
   */
  public static EvaluationResult of(EvaluationAccumulator acc, List<String> classes) {
    int n = acc.numClasses();
    List<String> names = classes == null || classes.isEmpty() ? indexNames(n) : classes;
    if (names.size() != n) {
      throw new IllegalArgumentException("expected " + n + " class names, got " + names.size() + ": " + names);
    }
    long count = acc.count();
    return new EvaluationResult(names, acc.confusion(), count, count == 0 ? Double.NaN : acc.lossSum() / count);
  }

  /** Parses the text of an {@code evaluation.json} ({@link #toJson}); {@code source} names it in errors. */
  public static EvaluationResult fromJson(String text, Object source) {
    try {
      JsonNode root = JSON.readTree(text);
      List<String> classes = new ArrayList<>();
      root.get("classes").forEach(c -> classes.add(c.asText()));
      JsonNode rows = root.get("confusion");
      long[][] confusion = new long[classes.size()][classes.size()];
      for (int a = 0; a < confusion.length; a++) {
        for (int p = 0; p < confusion.length; p++) {
          confusion[a][p] = rows.get(a).get(p).asLong();
        }
      }
      return new EvaluationResult(classes, confusion, root.get("count").asLong(), number(root.get("loss")));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(source + ": not an evaluation.json: " + e.getMessage(), e);
    }
  }

  public long count() {
    return count;
  }

  /** Mean cross-entropy {@code -ln p[label]}, probabilities floored at {@link EvaluationAccumulator#PROBABILITY_FLOOR}. */
  public double loss() {
    return loss;
  }

  public double accuracy() {
    return accuracy;
  }

  public List<String> classes() {
    return classes;
  }

  public List<PerClass> perClass() {
    return perClass;
  }

  /** Examples of class {@code actual} predicted as {@code predicted}. */
  public long confusion(int actual, int predicted) {
    return confusion[actual][predicted];
  }

  /** Unweighted mean of the per-class F1 scores. */
  public double macroF1() {
    return perClass.stream().mapToDouble(PerClass::f1).average().orElse(Double.NaN);
  }

  /** The {@code evaluation.json} object (docs/formats.md); non-finite numbers as strings. */
  public ObjectNode toJsonTree() {
    ObjectNode root = JSON.createObjectNode();
    root.put("schemaVersion", SCHEMA_VERSION);
    root.put("count", count);
    putNumber(root, "accuracy", accuracy);
    putNumber(root, "loss", loss);
    putNumber(root, "macroF1", macroF1());
    ArrayNode names = root.putArray("classes");
    classes.forEach(names::add);
    ArrayNode rows = root.putArray("perClass");
    for (PerClass p : perClass) {
      ObjectNode row = rows.addObject();
      row.put("class", p.name());
      putNumber(row, "precision", p.precision());
      putNumber(row, "recall", p.recall());
      putNumber(row, "f1", p.f1());
      row.put("support", p.support());
    }
    ArrayNode matrix = root.putArray("confusion");
    for (long[] actual : confusion) {
      ArrayNode r = matrix.addArray();
      for (long v : actual) {
        r.add(v);
      }
    }
    return root;
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(toJsonTree());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void putNumber(ObjectNode node, String key, double v) {
    if (Double.isFinite(v)) {
      node.put(key, v);
    } else {
      node.put(key, Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
    }
  }

  private static double number(JsonNode n) {
    return n.isNumber() ? n.asDouble() : Double.parseDouble(n.asText());
  }

  private static List<String> indexNames(int n) {
    List<String> names = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      names.add(Integer.toString(i));
    }
    return names;
  }
}
