package io.sitter.data;

import java.util.Locale;

/** Input file formats; lower-case on the command line ({@code --format csv}). */
public enum InputFormat {
  /** Tell the format from the file name or the directory's contents. */
  AUTO,
  CSV,
  LIBSVM,
  PARQUET,
  IDX;

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
