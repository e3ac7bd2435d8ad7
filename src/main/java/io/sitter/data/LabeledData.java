package io.sitter.data;

import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Data as read: rows with schema {@code index long, features array<double>, label int} ({@link
 * DataSchema#VALUES}, see docs/formats.md), already validated.
 *
 * @param rows the input's rows (for an IDX train+test directory: the train rows)
 * @param predefinedTest the input's own test rows (IDX directory), or null
 * @param numFeatures length of every {@code features} array
 * @param classes label name of each class index (empty when the data has no labels)
 * @param labelsWereStrings true when labels were strings mapped to indices in sorted order
 * @param source what was read, for messages and provenance ({@code "csv /data/x.csv"})
 */
public record LabeledData(
    Dataset<Row> rows,
    Dataset<Row> predefinedTest,
    int numFeatures,
    List<String> classes,
    boolean labelsWereStrings,
    String source) {
  public LabeledData {
    Objects.requireNonNull(rows, "rows");
    classes = List.copyOf(classes);
    if (numFeatures < 1) {
      throw new IllegalArgumentException("numFeatures must be >= 1, got " + numFeatures);
    }
  }

  public int numClasses() {
    return classes.size();
  }
}
