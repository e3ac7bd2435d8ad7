package io.sitter.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV line into trimmed fields: comma-separated, double quotes around a field are
 * removed and {@code ""} inside quotes is a quote (RFC 4180, without line breaks inside fields).
 * Hand-written because sitter needs the 1-based line number of a bad row, which Spark's CSV
 * source does not give; the numeric data sitter reads needs no more of the RFC than this.
 */
final class CsvLines {
  private CsvLines() {}

  static List<String> split(String line) {
    if (!line.isEmpty() && line.charAt(0) == '\uFEFF') {
      // A UTF-8 byte order mark would make a numeric first line look like a header.
      line = line.substring(1);
    }
    List<String> out = new ArrayList<>();
    if (line.indexOf('"') < 0) {
      int start = 0;
      for (int i = 0; i <= line.length(); i++) {
        if (i == line.length() || line.charAt(i) == ',') {
          out.add(line.substring(start, i).trim());
          start = i + 1;
        }
      }
      return out;
    }
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(field.toString().trim());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    out.add(field.toString().trim());
    return out;
  }

  /** True when {@code s} parses as a number ({@link Double#parseDouble}: includes NaN and Infinity). */
  static boolean isNumber(String s) {
    if (s.isEmpty()) {
      return false;
    }
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
