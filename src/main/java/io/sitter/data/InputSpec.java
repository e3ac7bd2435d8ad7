package io.sitter.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What to read.
 *
 * @param input a file or directory
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
    input = input.toAbsolutePath().normalize();
    labels = labels == null ? null : labels.toAbsolutePath().normalize();
  }

  public boolean hasLabels() {
    return !NO_LABELS.equals(labelColumn);
  }
}
