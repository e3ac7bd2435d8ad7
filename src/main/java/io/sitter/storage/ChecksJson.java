package io.sitter.storage;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import io.sitter.metrics.ChecksReport;

/**
 * The JSON form of {@code RUN/checks.json} ({@link RunDirectory} writes and reads the file, for the
 * trainer, the babysitter's resume and the report alike).
 *
 * <p>Non-finite numbers (an exploded loss) are written as the JSON strings {@code "NaN"},
 * {@code "Infinity"}, {@code "-Infinity"} as docs/formats.md says: Jackson's
 * {@code WRITE_NAN_AS_STRINGS} (on by default) does exactly that, and {@code
 * ALLOW_NON_NUMERIC_NUMBERS} lets the reader take them back as doubles.
 */
final class ChecksJson {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          // Unknown fields are ignored (docs/formats.md): the report still renders a file a newer
          // sitter wrote; schemaVersion guards changes that are not additions.
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private ChecksJson() {}

  static ChecksReport fromJson(String text) throws IOException {
    return MAPPER.readValue(text, ChecksReport.class);
  }

  /** The JSON text of {@code report}, as it would be written. */
  static String toJson(ChecksReport report) {
    try {
      return MAPPER.writeValueAsString(report);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
