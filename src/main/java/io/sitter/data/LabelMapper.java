package io.sitter.data;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;

import io.sitter.config.BadInputException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Turns label text into class indices. Numeric labels must be integers 0..C-1 (C = largest + 1);
 * if any label is not a number, all labels are strings and are numbered in sorted order. With a
 * saved model's classes, labels are looked up among them instead. Only the distinct labels and
 * the first row of each come to the driver; the mapping goes back as a broadcast join.
 */
final class LabelMapper {
  /** More distinct labels than this is a regression target or a wrong --label, not classes. */
  static final int MAX_CLASSES = 65_536;

  private LabelMapper() {}

  record Mapped(Dataset<Row> rows, List<String> classes, boolean labelsWereStrings) {}

  /**
   * @param raw rows with {@link DataSchema#RAW}'s columns
   * @param rowKind what {@code line} counts in messages: {@code "line"} or {@code "row"}
   */
  static Mapped map(SparkSession spark, Dataset<Row> raw, boolean hasLabels, List<String> knownClasses, String rowKind) {
    if (!hasLabels) {
      Dataset<Row> rows = raw.select(col(DataSchema.INDEX), col(DataSchema.FEATURES), lit(-1).as(DataSchema.LABEL));
      return new Mapped(rows, knownClasses == null ? List.of() : knownClasses, false);
    }
    List<Row> distinct =
        raw.groupBy(col(DataSchema.LABEL_TEXT))
            .agg(min(struct(col(DataSchema.INDEX), col(DataSchema.FILE), col(DataSchema.LINE))).as("first"))
            .limit(MAX_CLASSES + 1)
            .collectAsList();
    // Report problems at the earliest row they occur.
    distinct = new ArrayList<>(distinct);
    distinct.sort(java.util.Comparator.comparingLong(r -> r.getStruct(1).getLong(0)));
    if (distinct.size() > MAX_CLASSES) {
      Row first = distinct.get(0).getStruct(1);
      throw new BadInputException(
          first.getString(1) + ": more than " + MAX_CLASSES + " distinct labels: is --label naming the right column?");
    }
    Map<String, String> where = new java.util.LinkedHashMap<>();
    for (Row r : distinct) {
      Row first = r.getStruct(1);
      String location = first.getString(1) + ": " + rowKind + " " + first.getLong(2);
      if (r.isNullAt(0)) {
        throw new BadInputException(location + ": the label is missing (null)");
      }
      where.put(r.getString(0), location);
    }
    Map<String, Integer> index = new HashMap<>();
    List<String> classes;
    boolean strings;
    if (knownClasses != null) {
      classes = List.copyOf(knownClasses);
      strings = !where.keySet().stream().allMatch(CsvLines::isNumber);
      for (var e : where.entrySet()) {
        int k = classes.indexOf(canonical(e.getKey()));
        if (k < 0) {
          throw new BadInputException(
              e.getValue() + ": label '" + e.getKey() + "' is not one of the " + classes.size() + " classes " + abbreviate(classes));
        }
        index.put(e.getKey(), k);
      }
    } else if (where.keySet().stream().allMatch(CsvLines::isNumber)) {
      strings = false;
      int largest = -1;
      for (var e : where.entrySet()) {
        int k = integerLabel(e.getKey(), e.getValue());
        index.put(e.getKey(), k);
        largest = Math.max(largest, k);
      }
      classes = new ArrayList<>();
      for (int k = 0; k <= largest; k++) {
        classes.add(Integer.toString(k));
      }
    } else {
      strings = true;
      classes = List.copyOf(new TreeSet<>(where.keySet()));
      for (int k = 0; k < classes.size(); k++) {
        index.put(classes.get(k), k);
      }
    }
    StructType mapSchema =
        new StructType().add(DataSchema.LABEL_TEXT, DataTypes.StringType, false).add(DataSchema.LABEL, DataTypes.IntegerType, false);
    List<Row> mapping = new ArrayList<>();
    index.forEach((text, k) -> mapping.add(RowFactory.create(text, k)));
    Dataset<Row> table = spark.createDataFrame(mapping, mapSchema);
    Dataset<Row> rows =
        raw.join(broadcast(table), DataSchema.LABEL_TEXT).select(col(DataSchema.INDEX), col(DataSchema.FEATURES), col(DataSchema.LABEL));
    return new Mapped(rows, List.copyOf(classes), strings);
  }

  /** "3", "3.0" and "+3" name the same numeric class "3"; other text is itself. */
  static String canonical(String text) {
    String t = text.trim();
    if (CsvLines.isNumber(t)) {
      double d = Double.parseDouble(t);
      if (d == Math.rint(d) && Math.abs(d) < Integer.MAX_VALUE) {
        return Long.toString((long) d);
      }
    }
    return t;
  }

  private static int integerLabel(String text, String where) {
    double d = Double.parseDouble(text.trim());
    if (!Double.isFinite(d)) {
      throw new BadInputException(where + ": label '" + text + "' is not finite");
    }
    if (d != Math.rint(d)) {
      throw new BadInputException(where + ": label '" + text + "' is not an integer (numeric labels must be class indices 0..C-1)");
    }
    if (d < 0 || d >= MAX_CLASSES) {
      throw new BadInputException(
          where + ": label '" + text + "' is out of range (numeric labels must be class indices 0.." + (MAX_CLASSES - 1) + ")");
    }
    return (int) d;
  }

  static String abbreviate(List<String> classes) {
    return classes.size() <= 20 ? classes.toString() : classes.subList(0, 20) + " (and " + (classes.size() - 20) + " more)";
  }
}
