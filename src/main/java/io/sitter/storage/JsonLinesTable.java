package io.sitter.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * A table of JSON rows ({@code NAME.jsonl}) and its CSV view ({@code NAME.csv}) that keeps every
 * finished row through a kill of the process, on any Hadoop file system.
 *
 * <p>Why not append: HDFS appends only where the cluster allows it, a killed writer's file stays
 * leased (unappendable) until the NameNode recovers it, and object stores cannot append at all.
 * Why not rewrite the whole file every row: a long run has thousands of rounds and a 100 MB file,
 * so that would be quadratic. Instead, while the table is open, rows go to <b>segments</b> of at
 * most {@link #SEGMENT_ROWS} rows in {@code NAME.parts/}. Each row writes its segment again under
 * a new name, {@code SSSSSS-RRRR.jsonl} (segment S holding R rows), committed ({@link
 * CommittedFiles}) before the previous version is deleted: readers take each segment's committed
 * version with the most rows. So a round costs one small write, and a kill at any moment, even in
 * the middle of a write on an object store (where a file being written is uncommitted), leaves
 * every earlier row readable. {@link #close} <b>compacts</b>: it writes {@code NAME.jsonl} whole and
 * only then deletes the segments.
 *
 * <p>Readers ({@link #read}, {@link #open}) take {@code NAME.jsonl} when it is committed (a closed
 * table; segments left beside it by a kill during clean-up are stale copies of its rows), and
 * otherwise the segments in order. Reopening an interrupted table first commits the kept rows as
 * {@code NAME.jsonl}, then rewrites them as the first segment and removes {@code NAME.jsonl}
 * again, so every moment of the hand-over reads as the kept rows.
 *
 * <p>The CSV (columns in order of first appearance; by default nested objects flattened to
 * {@code parent.child}, arrays left out) is derived: written when the table is created, reopened
 * and closed. Non-finite numbers are the strings {@code "NaN"}, {@code "Infinity"}, {@code
 * "-Infinity"}.
 */
public final class JsonLinesTable implements AutoCloseable {
  /** Rows per segment: a round rewrites at most this many rows (a few hundred kB with histograms). */
  static final int SEGMENT_ROWS = 32;
  private static final Pattern SEGMENT = Pattern.compile("(\\d{6,})-(\\d{4,})\\.jsonl");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A row's CSV cells by column name, in column order. */
  public interface Flattener extends Function<ObjectNode, Map<String, String>> {}

  private final CommittedFiles files;
  private final Path jsonl;
  private final Path csv;
  private final Path parts;
  private final Flattener flattener;
  private final List<ObjectNode> rows = new ArrayList<>();
  /** Index of the segment being filled and the first row (index into rows) it holds. */
  private int segment;
  private int segmentStart;
  private boolean closed;

  private JsonLinesTable(CommittedFiles files, Path dir, String name, Flattener flattener) {
    this.files = files;
    this.jsonl = new Path(dir, name + ".jsonl");
    this.csv = new Path(dir, name + ".csv");
    this.parts = new Path(dir, name + ".parts");
    this.flattener = flattener;
  }

  /** A new, empty table {@code dir/name.jsonl} + {@code dir/name.csv}; existing files are replaced. */
  public static JsonLinesTable create(CommittedFiles files, Path dir, String name, Flattener flattener) {
    return reopen(files, dir, name, flattener, row -> false);
  }

  /**
   * The table as a previous, possibly killed, process left it: every committed row is kept
   * unless {@code keep} rejects it, and later rows are appended after them.
   */
  public static JsonLinesTable reopen(CommittedFiles files, Path dir, String name, Flattener flattener, Predicate<ObjectNode> keep) {
    JsonLinesTable t = new JsonLinesTable(files, dir, name, flattener);
    for (ObjectNode row : read(files, dir, name)) {
      if (keep.test(row)) {
        t.rows.add(row);
      }
    }
    files.write(t.jsonl, out -> out.write(t.text(0, t.rows.size()).getBytes(StandardCharsets.UTF_8)));
    files.deleteRecursively(t.parts);
    if (!t.rows.isEmpty()) {
      t.writeSegment(); // the kept rows as segment 0, closed: appends start segment 1
      t.segment = 1;
      t.segmentStart = t.rows.size();
    }
    files.delete(t.jsonl);
    t.writeCsv();
    return t;
  }

  /** Appends one row: its segment is rewritten whole and committed before this returns. */
  public void append(ObjectNode row) {
    if (closed) {
      throw new IllegalStateException(jsonl + " is closed");
    }
    if (rows.size() - segmentStart >= SEGMENT_ROWS) {
      segment++;
      segmentStart = rows.size();
    }
    rows.add(row);
    writeSegment();
  }

  /** Every row so far. */
  public List<ObjectNode> rows() {
    return Collections.unmodifiableList(rows);
  }

  /** Compacts the segments into {@code NAME.jsonl} and writes the CSV; appending ends here. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    files.write(jsonl, out -> out.write(text(0, rows.size()).getBytes(StandardCharsets.UTF_8)));
    files.deleteRecursively(parts);
    writeCsv();
  }

  /** Every committed row of the table {@code dir/name}: see the class comment for which files. */
  public static List<ObjectNode> read(CommittedFiles files, Path dir, String name) {
    List<ObjectNode> out = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(open(files, dir, name), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        try {
          JsonNode node = JSON.readTree(line);
          if (node instanceof ObjectNode o) {
            out.add(o);
          }
        } catch (IOException e) {
          break; // a line cut short (a file written by an older sitter that appended): the rows before it are intact
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + new Path(dir, name + ".jsonl") + ": " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * The table's JSON lines as one stream (empty when there are none), for readers that stream.
   *
   * <p>A reader can run while the table is written (the report or a test following a live run): a
   * segment it lists can be replaced by its longer version and deleted before it reads it, and
   * {@link #close} deletes the segments once {@code NAME.jsonl} is committed. So the segments are
   * read optimistically: listed, read, and listed again; only when nothing changed in between (names
   * only grow, so an unchanged listing means the same files throughout) are the rows a state the
   * table really had, else the reader starts over. A writer appending a row during every one of
   * {@link #READ_ATTEMPTS} attempts is the only way to fail, with a FileNotFoundException.
   */
  public static InputStream open(CommittedFiles files, Path dir, String name) throws IOException {
    Path jsonl = new Path(dir, name + ".jsonl");
    Path parts = new Path(dir, name + ".parts");
    for (int attempt = 1; attempt <= READ_ATTEMPTS; attempt++) {
      try {
        if (files.exists(jsonl)) {
          return files.storage().fileSystem(jsonl).open(jsonl);
        }
        List<Path> listed = segments(files, parts);
        List<InputStream> streams = new ArrayList<>();
        for (Path s : listed) {
          streams.add(new ByteArrayInputStream(files.read(s, InputStream::readAllBytes)));
        }
        if (segments(files, parts).equals(listed) && !files.exists(jsonl)) {
          return new SequenceInputStream(Collections.enumeration(streams));
        }
      } catch (FileNotFoundException replacedMeanwhile) {
        // listed, then replaced by a longer version or compacted: list again
      }
    }
    throw new FileNotFoundException(jsonl + ": its segments in " + parts + " changed during each of " + READ_ATTEMPTS + " reads");
  }

  /** Listings a reader takes before it gives up on a table whose files keep changing under it. */
  static final int READ_ATTEMPTS = 20;

  /** Whether the table has any committed rows' file (closed or open). */
  public static boolean exists(CommittedFiles files, Path dir, String name) {
    return files.exists(new Path(dir, name + ".jsonl")) || !segments(files, new Path(dir, name + ".parts")).isEmpty();
  }

  /** Each segment's committed version with the most rows, in segment order. */
  private static List<Path> segments(CommittedFiles files, Path parts) {
    TreeMap<Long, Path> newest = new TreeMap<>();
    TreeMap<Long, Long> rowsOf = new TreeMap<>();
    try {
      for (FileStatus s : files.storage().fileSystem(parts).listStatus(parts)) {
        Matcher m = SEGMENT.matcher(s.getPath().getName());
        if (s.isFile() && m.matches() && files.exists(s.getPath())) {
          long segment = Long.parseLong(m.group(1));
          long rows = Long.parseLong(m.group(2));
          if (rows > rowsOf.getOrDefault(segment, -1L)) {
            rowsOf.put(segment, rows);
            newest.put(segment, s.getPath());
          }
        }
      }
    } catch (FileNotFoundException e) {
      return List.of();
    } catch (IOException e) {
      // Hadoop's local file system reports a directory deleted while it is listed (close() removing
      // the segments under a reader) as an I/O error, not as absent.
      if (!directoryExists(files, parts)) {
        return List.of();
      }
      throw new UncheckedIOException("cannot list " + parts + ": " + e.getMessage(), e);
    }
    return new ArrayList<>(newest.values());
  }

  private static boolean directoryExists(CommittedFiles files, Path dir) {
    try {
      return files.storage().fileSystem(dir).exists(dir);
    } catch (IOException e) {
      return true; // unknown: the caller reports its own failure
    }
  }

  /** The current segment under its new name, committed; then its previous version goes. */
  private void writeSegment() {
    int count = rows.size() - segmentStart;
    String text = text(segmentStart, rows.size());
    files.write(segmentFile(segment, count), out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    if (count > 1) {
      files.delete(segmentFile(segment, count - 1));
    }
  }

  private Path segmentFile(int segment, int count) {
    return new Path(parts, String.format("%06d-%04d.jsonl", segment, count));
  }

  private String text(int from, int to) {
    StringBuilder sb = new StringBuilder();
    try {
      for (ObjectNode row : rows.subList(from, to)) {
        sb.append(JSON.writeValueAsString(row)).append('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sb.toString();
  }

  private void writeCsv() {
    Set<String> columns = new LinkedHashSet<>();
    List<Map<String, String>> flat = new ArrayList<>();
    for (ObjectNode row : rows) {
      Map<String, String> cells = flattener.apply(row);
      columns.addAll(cells.keySet());
      flat.add(cells);
    }
    StringBuilder sb = new StringBuilder();
    sb.append(String.join(",", columns.stream().map(JsonLinesTable::quote).toList())).append('\n');
    for (Map<String, String> cells : flat) {
      boolean first = true;
      for (String c : columns) {
        sb.append(first ? "" : ",").append(quote(cells.getOrDefault(c, "")));
        first = false;
      }
      sb.append('\n');
    }
    files.writeString(csv, sb.toString());
  }

  /** The default: scalar fields, nested objects as {@code parent.child}, arrays left out. */
  public static Map<String, String> flatten(ObjectNode row) {
    Map<String, String> cells = new LinkedHashMap<>();
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
