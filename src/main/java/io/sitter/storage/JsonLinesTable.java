package io.sitter.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A table kept as JSON lines ({@code NAME.jsonl}, appended and synced row by row, so a crash keeps
 * every finished row) and as CSV ({@code NAME.csv}, a line appended per row, and rewritten whole
 * through a temporary sibling when a row brings new columns; columns in the order they first appear). By default nested
 * objects are flattened to {@code parent.child} and arrays are left out of the CSV (they stay in the
 * JSON lines); a table may flatten its rows its own way. Non-finite numbers are written as the
 * strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}.
 */
public final class JsonLinesTable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A row's CSV cells by column name, in column order. */
  public interface Flattener extends Function<ObjectNode, Map<String, String>> {}

  private final Path jsonl;
  private final Path csv;
  private final Flattener flattener;
  /** The CSV's header: every column the rows so far brought, in order of first appearance. */
  private final Set<String> columns = new LinkedHashSet<>();

  private JsonLinesTable(Path jsonl, Path csv, Flattener flattener) {
    this.jsonl = jsonl;
    this.csv = csv;
    this.flattener = flattener;
  }

  /** A new, empty table {@code dir/name.jsonl} + {@code dir/name.csv}; existing files are replaced. */
  public static JsonLinesTable create(Path dir, String name) {
    return create(dir, name, JsonLinesTable::flatten);
  }

  /** The same, with the table's own flattening of rows into CSV cells. */
  public static JsonLinesTable create(Path dir, String name, Flattener flattener) {
    JsonLinesTable t = new JsonLinesTable(dir.resolve(name + ".jsonl"), dir.resolve(name + ".csv"), flattener);
    t.rewrite(List.of());
    return t;
  }

  /**
   * The table as a previous, possibly interrupted, process left it: every complete line is kept; a
   * last line cut short by a crash is dropped, as are rows {@code keep} rejects.
   */
  public static JsonLinesTable reopen(Path dir, String name, java.util.function.Predicate<ObjectNode> keep) {
    return reopen(dir, name, JsonLinesTable::flatten, keep);
  }

  /** The same, with the table's own flattening of rows into CSV cells. */
  public static JsonLinesTable reopen(Path dir, String name, Flattener flattener, java.util.function.Predicate<ObjectNode> keep) {
    List<ObjectNode> kept = new ArrayList<>();
    for (ObjectNode row : read(dir.resolve(name + ".jsonl"))) {
      if (keep.test(row)) {
        kept.add(row);
      }
    }
    JsonLinesTable t = new JsonLinesTable(dir.resolve(name + ".jsonl"), dir.resolve(name + ".csv"), flattener);
    t.rewrite(kept);
    return t;
  }

  /** Every complete JSON object line of {@code file}; none when it does not exist. */
  public static List<ObjectNode> read(Path file) {
    List<ObjectNode> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        try {
          JsonNode node = JSON.readTree(line);
          if (node instanceof ObjectNode o) {
            out.add(o);
          }
        } catch (IOException e) {
          break; // a line cut short by a crash: everything before it is intact
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * Appends one row to both files and forces the JSON line to disk. The CSV gets one more line;
   * only a row bringing a column the header lacks (the first validation round, say) rewrites it.
   * Rewriting the whole CSV every round, as this did first, made a run quadratic in its rounds:
   * with K=1 a 10-epoch Fashion-MNIST run has 2,110 rounds, and the last ones re-flattened 2,000
   * rows of per-layer monitors each.
   */
  public void append(ObjectNode row) {
    try {
      Files.writeString(jsonl, JSON.writeValueAsString(row) + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> cells = flattener.apply(row);
    if (!columns.containsAll(cells.keySet())) {
      writeCsv(read(jsonl));
      return;
    }
    StringBuilder line = new StringBuilder();
    appendCsvLine(line, cells);
    try {
      Files.writeString(csv, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every row written so far, read back from the JSON lines. */
  public List<ObjectNode> rows() {
    return read(jsonl);
  }

  private void rewrite(List<ObjectNode> rows) {
    StringBuilder sb = new StringBuilder();
    try {
      for (ObjectNode row : rows) {
        sb.append(JSON.writeValueAsString(row)).append('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    AtomicFiles.writeString(jsonl, sb.toString());
    writeCsv(rows);
  }

  /** The whole CSV from {@code rows}, through a temporary sibling (the header may have grown). */
  private void writeCsv(List<ObjectNode> rows) {
    List<Map<String, String>> flat = new ArrayList<>();
    for (ObjectNode row : rows) {
      Map<String, String> cells = flattener.apply(row);
      columns.addAll(cells.keySet());
      flat.add(cells);
    }
    StringBuilder sb = new StringBuilder();
    sb.append(String.join(",", columns.stream().map(JsonLinesTable::quote).toList())).append('\n');
    for (Map<String, String> cells : flat) {
      appendCsvLine(sb, cells);
    }
    AtomicFiles.writeString(csv, sb.toString());
  }

  private void appendCsvLine(StringBuilder sb, Map<String, String> cells) {
    boolean first = true;
    for (String c : columns) {
      sb.append(first ? "" : ",").append(quote(cells.getOrDefault(c, "")));
      first = false;
    }
    sb.append('\n');
  }

  /** The default: scalar fields, nested objects as {@code parent.child}, arrays left out. */
  public static Map<String, String> flatten(ObjectNode row) {
    Map<String, String> cells = new java.util.LinkedHashMap<>();
    flatten("", row, cells);
    return cells;
  }

  /** One scalar cell: empty for null, numbers and strings as JSON text gives them. */
  public static String cell(JsonNode v) {
    return v == null || v.isNull() ? "" : v.asText();
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> cells) {
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = prefix + e.getKey();
      JsonNode v = e.getValue();
      if (v.isObject()) {
        flatten(key + ".", v, cells);
      } else if (!v.isArray()) {
        cells.put(key, cell(v));
      }
    }
  }

  /** RFC 4180: quote a cell holding a comma, quote or line break, doubling inner quotes. */
  static String quote(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
