package io.sitter.data;

import io.sitter.storage.PathMessages;
import java.util.Objects;
import org.apache.hadoop.fs.Path;

/**
 * What to read.
 *
 * @param input a file or directory, qualified ({@code file:/...}, {@code hdfs://nn:8020/...}: what
 *     {@code Storage.resolve} gives)
 * @param labels the IDX labels file, or null to find it beside the images file
 * @param format the format, or {@link InputFormat#AUTO}
 * @param labelColumn {@code last}, {@code first}, a header name, a 0-based column index, or {@code
 *     none} for data without labels (every row then gets label -1)
 */
public record InputSpec(Path input, Path labels, InputFormat format, String labelColumn) {
  public static final String NO_LABELS = "none";

  public InputSpec {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(format, "format");
    if (labelColumn == null || labelColumn.isBlank()) {
      throw new IllegalArgumentException("label column must be last, first, none, a column name or a 0-based index, got '" + labelColumn + "'");
    }
    labelColumn = labelColumn.trim();
    requireQualified(input, "input");
    if (labels != null) {
      requireQualified(labels, "labels");
    }
  }

  public boolean hasLabels() {
    return !NO_LABELS.equals(labelColumn);
  }

  /** The input as messages and provenance show it: a plain path for a local file, else its URI. */
  public String inputName() {
    return PathMessages.show(input);
  }

  /**
   * A path without a scheme would be resolved against whatever {@code fs.defaultFS} each process
   * has, so the driver and the executors could read different files.
   */
  private static void requireQualified(Path p, String what) {
    if (p.toUri().getScheme() == null || !p.isAbsolute()) {
      throw new IllegalArgumentException(what + " must be a qualified path (Storage.resolve), got " + p);
    }
  }
}
