package io.sitter.data;

import io.sitter.config.BadInputException;
import io.sitter.storage.PathMessages;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.SerializableConfiguration;
import scala.Tuple2;

/**
 * Executor-side parsing and validation for the readers: static classes holding only what they
 * need, so no reader or driver state is shipped with them. Every error names the file and the
 * 1-based line (CSV, LibSVM), row (Parquet) or item (IDX).
 */
final class ReaderFunctions {
  private ReaderFunctions() {}

  /**
   * The lines of one gzip file with their 0-based numbers, as {@code textFile(file).zipWithIndex()}
   * gives them (CR, LF and CRLF end a line, as in Hadoop's LineReader), read in one task (gzip is
   * not splittable: Spark reads it in one task too). A stream that ends early (a truncated
   * download) or is no gzip at all is bad input naming the file and the line where the data
   * stopped, where Spark's own reader failed the job with a bare "Unexpected end of input stream".
   */
  static final class GzipLines implements PairFlatMapFunction<String, String, Long> {
    private static final long serialVersionUID = 1L;
    private final SerializableConfiguration conf;

    GzipLines(SerializableConfiguration conf) {
      this.conf = conf;
    }

    @Override
    public Iterator<Tuple2<String, Long>> call(String uri) throws IOException {
      Path path = new Path(uri);
      String file = PathMessages.show(path);
      java.io.InputStream raw = io.sitter.storage.Storage.of(conf.value()).fileSystem(path).open(path);
      java.io.InputStream gz;
      try {
        gz = new java.util.zip.GZIPInputStream(raw, 1 << 16);
      } catch (IOException e) {
        raw.close();
        throw damaged(file, 1, e);
      }
      // A failure ends the stream instead of losing what the reader had buffered: the lines
      // before the cut are still delivered, and the line the data stopped in is named.
      IOException[] failure = new IOException[1];
      java.io.InputStream cut = new java.io.FilterInputStream(gz) {
        @Override
        public int read() throws IOException {
          try {
            return failure[0] != null ? -1 : super.read();
          } catch (IOException e) {
            failure[0] = e;
            return -1;
          }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          try {
            return failure[0] != null ? -1 : super.read(b, off, len);
          } catch (IOException e) {
            failure[0] = e;
            return -1;
          }
        }
      };
      java.io.BufferedReader reader =
          new java.io.BufferedReader(new java.io.InputStreamReader(cut, java.nio.charset.StandardCharsets.UTF_8), 1 << 16);
      return new Iterator<>() {
        private long number;
        private String following = read();

        private String read() {
          try {
            String line = reader.readLine();
            if (line == null) {
              reader.close();
              if (failure[0] != null) {
                throw damaged(file, number + 1, failure[0]);
              }
            }
            return line;
          } catch (IOException e) {
            throw damaged(file, number + 1, e);
          }
        }

        @Override
        public boolean hasNext() {
          return following != null;
        }

        @Override
        public Tuple2<String, Long> next() {
          if (following == null) {
            throw new java.util.NoSuchElementException();
          }
          String line = following;
          long n = number++;
          following = read();
          if (following == null && failure[0] != null) {
            throw damaged(file, n + 1, failure[0]); // the last line read is where the data was cut
          }
          return new Tuple2<>(line, n);
        }
      };
    }

    private static BadInputException damaged(String file, long line, IOException e) {
      return new BadInputException(file + ": line " + line + ": the gzip data is truncated or corrupt (" + e.getMessage()
          + "); the lines before it were read, nothing was written");
    }
  }

  /**
   * A value as written, in double (statistics are computed from it), refused when NaN, infinite
   * or beyond float32's range: the network computes in float32, and a value it cannot hold is
   * refused here, where the file and line are still known, rather than after normalization, where
   * only the row index is.
   */
  static double parseValue(String text, String where, String what) {
    double v;
    try {
      v = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new BadInputException(where + ": non-numeric value '" + text + "' in " + what);
    }
    checkValue(v, text, where, what);
    return v;
  }

  private static void checkValue(double v, String text, String where, String what) {
    if (Double.isNaN(v)) {
      throw new BadInputException(where + ": NaN in " + what);
    }
    if (Double.isInfinite(v)) {
      throw new BadInputException(where + ": infinite value '" + text + "' in " + what);
    }
    if (Math.abs(v) > Float.MAX_VALUE) {
      throw new BadInputException(where + ": value '" + text + "' in " + what
          + " is out of float32 range (magnitude above " + Float.MAX_VALUE + "), which the network computes in");
    }
  }

  static void checkFinite(double[] features, String where) {
    for (int j = 0; j < features.length; j++) {
      if (!Double.isFinite(features[j])) {
        throw new BadInputException(where + ": non-finite value " + features[j] + " in feature " + j);
      }
      checkValue(features[j], Double.toString(features[j]), where, "feature " + j);
    }
  }

  /**
   * One CSV line (text, 0-based line number in its file) to {@code (features, labelText, file,
   * line)}; blank lines and the header are dropped.
   */
  static final class CsvLine implements FlatMapFunction<Tuple2<String, Long>, Row> {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final long headerLine;
    private final int columns;
    private final int labelColumn;

    /** @param headerLine the header's 1-based line number, 0 when the file has none */
    CsvLine(String file, long headerLine, int columns, int labelColumn) {
      this.file = file;
      this.headerLine = headerLine;
      this.columns = columns;
      this.labelColumn = labelColumn;
    }

    @Override
    public Iterator<Row> call(Tuple2<String, Long> lineAndNumber) {
      long line = lineAndNumber._2() + 1;
      String text = lineAndNumber._1();
      if (line == headerLine || text.isBlank()) {
        return Collections.emptyIterator();
      }
      String where = file + ": line " + line;
      List<String> fields = CsvLines.split(text);
      if (fields.size() != columns) {
        throw new BadInputException(where + ": ragged row: " + fields.size() + " columns, expected " + columns);
      }
      double[] features = new double[labelColumn < 0 ? columns : columns - 1];
      int j = 0;
      for (int c = 0; c < columns; c++) {
        if (c != labelColumn) {
          features[j++] = parseValue(fields.get(c), where, "column " + (c + 1));
        }
      }
      String label = labelColumn < 0 ? null : fields.get(labelColumn);
      if (label != null && label.isEmpty()) {
        throw new BadInputException(where + ": empty label in column " + (labelColumn + 1));
      }
      return Collections.singletonList(RowFactory.create(features, label, file, line)).iterator();
    }
  }

  /**
   * One LibSVM line ({@code label index:value ...}, 1-based ascending indices, {@code #} starts a
   * comment) to {@code (indices 0-based, values, labelText, file, line)}.
   */
  static final class LibSvmLine implements FlatMapFunction<Tuple2<String, Long>, Row> {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final boolean labels;

    LibSvmLine(String file, boolean labels) {
      this.file = file;
      this.labels = labels;
    }

    @Override
    public Iterator<Row> call(Tuple2<String, Long> lineAndNumber) {
      long line = lineAndNumber._2() + 1;
      String text = lineAndNumber._1();
      int hash = text.indexOf('#');
      if (hash >= 0) {
        text = text.substring(0, hash);
      }
      text = text.trim();
      if (text.isEmpty()) {
        return Collections.emptyIterator();
      }
      String where = file + ": line " + line;
      String[] tokens = text.split("\\s+");
      int first = labels ? 1 : 0;
      String label = labels ? tokens[0] : null;
      if (labels && tokens[0].contains(":")) {
        throw new BadInputException(where + ": the line starts with '" + tokens[0] + "', expected a label");
      }
      int[] indices = new int[tokens.length - first];
      double[] values = new double[tokens.length - first];
      int previous = 0;
      for (int t = first; t < tokens.length; t++) {
        String token = tokens[t];
        int colon = token.indexOf(':');
        if (colon <= 0) {
          throw new BadInputException(where + ": '" + token + "' is not index:value");
        }
        int index;
        try {
          index = Integer.parseInt(token.substring(0, colon));
        } catch (NumberFormatException e) {
          throw new BadInputException(where + ": non-numeric index in '" + token + "'");
        }
        if (index <= previous) {
          throw new BadInputException(
              where + ": indices must be 1-based and ascending, got " + index + " after " + previous);
        }
        previous = index;
        indices[t - first] = index - 1;
        values[t - first] = parseValue(token.substring(colon + 1), where, "index " + index);
      }
      return Collections.singletonList(RowFactory.create(indices, values, label, file, line)).iterator();
    }
  }

  /** Sparse LibSVM rows (with their global index in front) to dense raw rows of a fixed width. */
  static final class Densify implements Function<Tuple2<Row, Long>, Row> {
    private static final long serialVersionUID = 1L;
    private final int width;

    Densify(int width) {
      this.width = width;
    }

    @Override
    public Row call(Tuple2<Row, Long> rowAndIndex) {
      Row r = rowAndIndex._1();
      int[] indices = (int[]) r.get(0);
      double[] values = (double[]) r.get(1);
      double[] dense = new double[width];
      for (int k = 0; k < indices.length; k++) {
        if (indices[k] >= width) {
          throw new BadInputException(
              r.getString(3) + ": line " + r.getLong(4) + ": index " + (indices[k] + 1) + " is beyond the " + width + " features expected");
        }
        dense[indices[k]] = values[k];
      }
      return RowFactory.create(rowAndIndex._2(), dense, r.get(2), r.get(3), r.get(4));
    }
  }

  /** The largest 1-based LibSVM index of a parsed row (0 when it has none). */
  static final class MaxIndex implements Function<Row, Integer> {
    private static final long serialVersionUID = 1L;

    @Override
    public Integer call(Row r) {
      int[] indices = (int[]) r.get(0);
      return indices.length == 0 ? 0 : indices[indices.length - 1] + 1;
    }
  }

  /** Puts the global 0-based row index in front of a parsed {@code (features, labelText, file, line)} row. */
  static final class WithIndex implements Function<Tuple2<Row, Long>, Row> {
    private static final long serialVersionUID = 1L;

    @Override
    public Row call(Tuple2<Row, Long> rowAndIndex) {
      Row r = rowAndIndex._1();
      return RowFactory.create(rowAndIndex._2(), r.get(0), r.get(1), r.get(2), r.get(3));
    }
  }

  /**
   * A Parquet row {@code (features, labelText, file, row)} whose features are an array of numbers
   * (nulls possible) or Spark ML's vector struct {@code (type, size, indices, values)} (what a
   * {@code VectorUDT} column looks like without spark-mllib on the classpath), checked and made
   * a dense raw row.
   */
  static final class ParquetRow implements Function<Tuple2<Row, Long>, Row> {
    private static final long serialVersionUID = 1L;
    private final int width;
    private final List<String> columnNames;

    /** @param columnNames feature column names when features were assembled from columns, else empty */
    ParquetRow(int width, List<String> columnNames) {
      this.width = width;
      this.columnNames = List.copyOf(columnNames);
    }

    @Override
    public Row call(Tuple2<Row, Long> rowAndIndex) {
      Row r = rowAndIndex._1();
      String file = r.getString(2);
      long row = r.getLong(3) + 1;
      String where = file + ": row " + row;
      if (r.isNullAt(0)) {
        throw new BadInputException(where + ": features are null");
      }
      Object value = r.get(0);
      double[] features = value instanceof Row vector ? fromVector(vector, where) : fromArray(r.getList(0), where);
      if (features.length != width) {
        throw new BadInputException(where + ": " + features.length + " features, expected " + width + " (as in the first row)");
      }
      checkFinite(features, where);
      return RowFactory.create(rowAndIndex._2(), features, r.isNullAt(1) ? null : r.getString(1), file, row);
    }

    private double[] fromArray(List<Object> values, String where) {
      double[] out = new double[values.size()];
      for (int j = 0; j < out.length; j++) {
        Object v = values.get(j);
        if (v == null) {
          throw new BadInputException(
              where + ": null value in " + (columnNames.isEmpty() ? "features[" + j + "]" : "column '" + columnNames.get(j) + "'"));
        }
        out[j] = ((Number) v).doubleValue();
      }
      return out;
    }

    private static double[] fromVector(Row vector, String where) {
      byte type = ((Number) vector.get(0)).byteValue();
      List<Object> values = vector.getList(3);
      if (type == 1) {
        double[] out = new double[values.size()];
        for (int j = 0; j < out.length; j++) {
          out[j] = ((Number) values.get(j)).doubleValue();
        }
        return out;
      }
      if (vector.isNullAt(1) || vector.isNullAt(2)) {
        throw new BadInputException(where + ": sparse vector without size or indices");
      }
      double[] out = new double[vector.getInt(1)];
      List<Object> indices = vector.getList(2);
      for (int k = 0; k < indices.size(); k++) {
        out[((Number) indices.get(k)).intValue()] = ((Number) values.get(k)).doubleValue();
      }
      return out;
    }
  }

  /** Part of an IDX file: pixels of consecutive items and their labels (null without labels). */
  record IdxChunk(long firstIndex, int numFeatures, byte[] pixels, byte[] labels, String file) implements Serializable {
    IdxChunk {
      if (labels != null && labels.length * numFeatures != pixels.length) {
        throw new IllegalArgumentException("labels and pixels of an IDX chunk disagree");
      }
    }
  }

  /**
   * How IDX labels are checked: any byte is a class of its own (the classes are then 0..largest),
   * or, with a saved model's classes, each must be one of them and becomes its index.
   */
  static final class IdxLabels implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Class index of each label byte, -1 for none of the classes; null when labels are the classes. */
    private final int[] classOf;
    private final String classesText;

    private IdxLabels(int[] classOf, String classesText) {
      this.classOf = classOf;
      this.classesText = classesText;
    }

    static IdxLabels of(List<String> knownClasses) {
      if (knownClasses == null) {
        return new IdxLabels(null, null);
      }
      int[] classOf = new int[256];
      for (int b = 0; b < 256; b++) {
        int k = knownClasses.indexOf(Integer.toString(b));
        classOf[b] = k > 255 ? -1 : k;
      }
      return new IdxLabels(classOf, knownClasses.size() + " classes " + LabelMapper.abbreviate(knownClasses));
    }

    /** Rewrites {@code labels} (items from {@code firstItem} on) in place as class indices. */
    void apply(byte[] labels, long firstItem, String file) {
      if (classOf == null) {
        return;
      }
      for (int i = 0; i < labels.length; i++) {
        int k = classOf[labels[i] & 0xFF];
        if (k < 0) {
          throw new BadInputException(
              file + ": item " + (firstItem + i) + " (0-based): label " + (labels[i] & 0xFF) + " is not one of the " + classesText);
        }
        labels[i] = (byte) k;
      }
    }
  }

  /**
   * Reads one images file and its labels file in an executor task, through Hadoop's file system
   * (gzip or not), and cuts them into chunks keyed by their number. The headers were checked on
   * the driver; they are read again here, and the data must be exactly as long as they announce.
   */
  static final class IdxChunks implements PairFlatMapFunction<Integer, Integer, IdxChunk> {
    private static final long serialVersionUID = 1L;
    private final SerializableConfiguration conf;
    private final IdxReader.Header images;
    private final IdxReader.Header labels;
    private final long firstIndex;
    private final int perChunk;
    private final IdxLabels labelCheck;

    IdxChunks(SerializableConfiguration conf, IdxReader.Header images, IdxReader.Header labels, long firstIndex, int perChunk, IdxLabels labelCheck) {
      this.conf = conf;
      this.images = images;
      this.labels = labels;
      this.firstIndex = firstIndex;
      this.perChunk = perChunk;
      this.labelCheck = labelCheck;
    }

    @Override
    public Iterator<Tuple2<Integer, IdxChunk>> call(Integer ignored) {
      try (DataInputStream in = open(images);
          DataInputStream labelIn = labels == null ? null : open(labels)) {
        int count = images.count();
        int itemSize = images.itemSize();
        List<Tuple2<Integer, IdxChunk>> out = new ArrayList<>();
        for (int item = 0, chunk = 0; item < count; item += perChunk, chunk++) {
          int n = Math.min(perChunk, count - item);
          byte[] pixels = new byte[n * itemSize];
          readFully(in, pixels, images);
          byte[] lab = null;
          if (labelIn != null) {
            lab = new byte[n];
            readFully(labelIn, lab, labels);
            labelCheck.apply(lab, item, labels.shown());
          }
          out.add(new Tuple2<>(chunk, new IdxChunk(firstIndex + item, itemSize, pixels, lab, images.shown())));
        }
        checkAtEnd(in, images);
        if (labelIn != null) {
          checkAtEnd(labelIn, labels);
        }
        return out.iterator();
      } catch (IOException e) {
        throw PathMessages.failure("IDX file", new Path(images.path()), e);
      }
    }

    private DataInputStream open(IdxReader.Header expected) throws IOException {
      Path path = new Path(expected.path());
      DataInputStream in = new DataInputStream(InputFiles.open(path.getFileSystem(conf.value()), path, 1 << 16));
      IdxReader.Header found = IdxReader.readHeader(in, expected.path());
      if (!found.equals(expected)) {
        in.close();
        throw new BadInputException(expected.shown() + ": the file changed while it was read (its header now announces "
            + found.count() + " items of " + found.itemSize() + " values)");
      }
      return in;
    }

    private static void readFully(DataInputStream in, byte[] into, IdxReader.Header file) throws IOException {
      try {
        in.readFully(into);
      } catch (EOFException e) {
        throw new BadInputException(file.shown() + ": truncated IDX file (fewer bytes than its header announces)", e);
      }
    }

    private static void checkAtEnd(DataInputStream in, IdxReader.Header file) throws IOException {
      if (in.read() >= 0) {
        throw new BadInputException(file.shown() + ": more bytes than the header's " + file.count() + " items");
      }
    }
  }

  /** The largest label of an IDX chunk, -1 without labels. */
  static final class LargestLabel implements Function<IdxChunk, Integer> {
    private static final long serialVersionUID = 1L;

    @Override
    public Integer call(IdxChunk chunk) {
      int m = -1;
      if (chunk.labels() != null) {
        for (byte b : chunk.labels()) {
          m = Math.max(m, b & 0xFF);
        }
      }
      return m;
    }
  }

  /** An IDX chunk to rows {@code (index, features 0..255, label)}; labels were checked when it was read. */
  static final class IdxRows implements FlatMapFunction<IdxChunk, Row> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<Row> call(IdxChunk chunk) {
      int d = chunk.numFeatures();
      int n = chunk.pixels().length / d;
      List<Row> rows = new java.util.ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        double[] features = new double[d];
        int base = i * d;
        for (int j = 0; j < d; j++) {
          features[j] = chunk.pixels()[base + j] & 0xFF;
        }
        int label = chunk.labels() == null ? -1 : chunk.labels()[i] & 0xFF;
        rows.add(RowFactory.create(chunk.firstIndex() + i, features, label));
      }
      return rows.iterator();
    }
  }
}
