package io.sitter.metrics;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Writes and reads {@code RUN/checks.json}. The file is written to a temporary sibling and renamed,
 * so a reader (the report, a user's {@code cat}) never sees half a file and a failed write never
 * destroys the previous one.
 *
 * <p>Non-finite numbers (an exploded loss) are written as the JSON strings {@code "NaN"},
 * {@code "Infinity"}, {@code "-Infinity"} as docs/formats.md says: Jackson's
 * {@code WRITE_NAN_AS_STRINGS} (on by default) does exactly that, and {@code
 * ALLOW_NON_NUMERIC_NUMBERS} lets the reader take them back as doubles.
 */
public final class ChecksWriter {
  public static final String FILE_NAME = "checks.json";

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private ChecksWriter() {}

  /** Writes {@code report} as {@code runDir/checks.json}, creating {@code runDir} if needed. */
  public static Path write(Path runDir, ChecksReport report) {
    Path target = runDir.resolve(FILE_NAME);
    AtomicFiles.writeString(target, toJson(report));
    return target;
  }

  /** Reads a {@code checks.json} back. */
  public static ChecksReport read(Path file) {
    try {
      return MAPPER.readValue(file.toFile(), ChecksReport.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The JSON text of {@code report}, as it would be written. */
  public static String toJson(ChecksReport report) {
    try {
      return MAPPER.writeValueAsString(report);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
