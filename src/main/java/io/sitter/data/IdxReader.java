package io.sitter.data;

import io.sitter.config.BadInputException;
import io.sitter.storage.PathMessages;
import io.sitter.storage.Storage;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;

/**
 * The IDX format of MNIST and Fashion-MNIST (gzip or not): a big-endian header (two zero bytes,
 * the element type 0x08 = unsigned byte, the number of dimensions, then each dimension), then the
 * bytes. Images become features 0..255 (every dimension after the first flattened), labels the
 * class indices.
 *
 * <p>The driver reads only the headers (a few bytes each) and checks them: magic number first,
 * then sizes, the labels' count against the images'. An IDX file is one compressed stream that
 * cannot be split, so one executor task per images file (and its labels file) reads both through
 * Hadoop's {@link FileSystem}, checks the length and the labels, and cuts them into chunks of
 * about 4 MB; a shuffle then puts chunk k in partition k, so the rows are spread over the cluster
 * in file order, one partition per chunk, as when the driver read the files and shipped the
 * chunks. The read runs at once, as one job (the classes need the largest label, and bad data
 * should fail here, as it did when the driver read it); later jobs on the rows reuse the
 * shuffle's output instead of reading and decompressing the files again.
 */
final class IdxReader {
  static final String[] STANDARD = {
    "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"
  };
  private static final int CHUNK_BYTES = 4 << 20;
  /** Enough read-ahead for a header (4 bytes per dimension) without pulling data to the driver. */
  private static final int HEADER_BUFFER = 512;

  private IdxReader() {}

  record Result(Dataset<Row> rows, Dataset<Row> test, int numFeatures, List<String> classes) {}

  /** An IDX file's header: where it is, the item count, the size of one item. */
  record Header(String path, int count, int itemSize) implements Serializable {
    String shown() {
      return PathMessages.show(new Path(path));
    }
  }

  static boolean isStandardDirectory(Storage storage, Path dir) {
    return InputFiles.isDirectory(storage, dir) && find(storage, dir, STANDARD[0]) != null;
  }

  static Result read(SparkSession spark, Storage storage, InputSpec spec, List<String> knownClasses, int expectedFeatures) {
    Header images;
    Header labels = null;
    Header tImages = null;
    Header tLabels = null;
    if (InputFiles.isDirectory(storage, spec.input())) {
      Path[] found = new Path[4];
      for (int k = 0; k < 4; k++) {
        found[k] = find(storage, spec.input(), STANDARD[k]);
        if (found[k] == null && (spec.hasLabels() || k % 2 == 0)) {
          throw new BadInputException(spec.inputName() + ": IDX directory lacks " + STANDARD[k] + "[.gz]");
        }
      }
      images = header(storage, found[0]);
      labels = spec.hasLabels() ? header(storage, found[1]) : null;
      tImages = found[2] == null ? null : header(storage, found[2]);
      tLabels = found[2] == null || !spec.hasLabels() ? null : header(storage, found[3]);
    } else {
      // The images file's own header first: a file that is no IDX at all is reported as such,
      // not as one without a labels file beside it.
      images = header(storage, spec.input());
      if (spec.hasLabels()) {
        labels = header(storage, spec.labels() != null ? spec.labels() : besideImages(storage, spec.input()));
      }
    }
    checkPair(images, labels);
    if (tImages != null) {
      checkPair(tImages, tLabels);
      if (tImages.itemSize() != images.itemSize()) {
        throw new BadInputException(tImages.shown() + ": items of " + tImages.itemSize() + " values, but the training images have " + images.itemSize());
      }
    }
    if (expectedFeatures > 0 && images.itemSize() != expectedFeatures) {
      throw new BadInputException(images.shown() + ": items of " + images.itemSize() + " values, expected " + expectedFeatures);
    }
    ReaderFunctions.IdxLabels labelCheck = ReaderFunctions.IdxLabels.of(knownClasses);
    SerializableConfiguration conf = new SerializableConfiguration(storage.configuration());
    JavaPairRDD<Integer, ReaderFunctions.IdxChunk> train = chunks(spark, conf, images, labels, 0, labelCheck);
    JavaPairRDD<Integer, ReaderFunctions.IdxChunk> test = tImages == null ? null : chunks(spark, conf, tImages, tLabels, images.count(), labelCheck);
    int largest = largestLabel(train);
    if (test != null) {
      largest = Math.max(largest, largestLabel(test));
    }
    List<String> classes = knownClasses != null ? List.copyOf(knownClasses) : classes(largest);
    Dataset<Row> rows = spark.createDataFrame(train.values().flatMap(new ReaderFunctions.IdxRows()), DataSchema.VALUES);
    Dataset<Row> testRows = test == null ? null : spark.createDataFrame(test.values().flatMap(new ReaderFunctions.IdxRows()), DataSchema.VALUES);
    return new Result(rows, testRows, images.itemSize(), classes);
  }

  /** {@code train-images-idx3-ubyte.gz} -> {@code train-labels-idx1-ubyte.gz} (or without .gz). */
  static Path besideImages(Storage storage, Path images) {
    String name = images.getName();
    String guess = name.replace("images", "labels").replace("idx3", "idx1");
    String base = guess.endsWith(".gz") ? guess.substring(0, guess.length() - 3) : guess;
    for (String candidate : List.of(guess, base, base + ".gz")) {
      Path p = new Path(images.getParent(), candidate);
      if (!candidate.equals(name) && InputFiles.isFile(storage, p)) {
        return p;
      }
    }
    throw new BadInputException(
        PathMessages.show(images) + ": no labels file " + PathMessages.show(new Path(images.getParent(), guess))
            + " beside it; give it with --labels (or --label none)");
  }

  private static Path find(Storage storage, Path dir, String base) {
    for (String name : List.of(base, base + ".gz")) {
      Path p = new Path(dir, name);
      if (InputFiles.isFile(storage, p)) {
        return p;
      }
    }
    return null;
  }

  /** Reads and checks an IDX file's header on the driver: a few bytes, whatever the file's size. */
  static Header header(Storage storage, Path file) {
    if (!InputFiles.isFile(storage, file)) {
      throw new BadInputException("IDX file " + PathMessages.show(file) + " does not exist");
    }
    try (DataInputStream in = new DataInputStream(InputFiles.open(storage.fileSystem(file), file, HEADER_BUFFER))) {
      return readHeader(in, file.toString());
    } catch (IOException e) {
      throw PathMessages.failure("IDX file", file, e);
    }
  }

  /**
   * The header at the start of {@code in}, checked; {@code in} is left at the first data byte.
   * Used by the driver and again by the task that reads the data.
   */
  static Header readHeader(DataInputStream in, String path) throws IOException {
    String shown = PathMessages.show(new Path(path));
    try {
      int magic = in.readInt();
      int type = (magic >>> 8) & 0xFF;
      int dims = magic & 0xFF;
      if ((magic >>> 16) != 0 || type != 0x08 || dims < 1) {
        throw new BadInputException(
            shown + ": wrong IDX magic number 0x" + String.format("%08x", magic) + " (expected 0x000008NN: unsigned bytes, NN dimensions)");
      }
      int count = in.readInt();
      long itemSize = 1;
      for (int k = 1; k < dims; k++) {
        int d = in.readInt();
        if (d < 1) {
          throw new BadInputException(shown + ": IDX dimension " + (k + 1) + " is " + d);
        }
        itemSize *= d;
      }
      if (count < 0 || (long) count * itemSize > Integer.MAX_VALUE - 64) {
        throw new BadInputException(shown + ": IDX header announces " + count + " items of " + itemSize + " bytes: too large or negative");
      }
      if (count == 0) {
        throw new BadInputException(shown + ": empty input (0 items)");
      }
      return new Header(path, count, (int) itemSize);
    } catch (EOFException e) {
      throw new BadInputException(shown + ": truncated IDX file (fewer bytes than its header announces)", e);
    }
  }

  private static void checkPair(Header images, Header labels) {
    if (labels == null) {
      return;
    }
    if (labels.itemSize() != 1) {
      throw new BadInputException(labels.shown() + ": a labels file must be one-dimensional, its items have " + labels.itemSize() + " values");
    }
    if (labels.count() != images.count()) {
      throw new BadInputException(labels.shown() + ": " + labels.count() + " labels for " + images.count() + " images in " + images.shown());
    }
  }

  /** Class names 0..largest, none when there are no labels (largest -1). */
  private static List<String> classes(int largest) {
    List<String> classes = new ArrayList<>();
    for (int k = 0; k <= largest; k++) {
      classes.add(Integer.toString(k));
    }
    return List.copyOf(classes);
  }

  /**
   * The chunks of one images file (and its labels), read by one task and spread by a shuffle so
   * that partition k holds chunk k. {@link HashPartitioner} sends integer key k to partition k.
   */
  private static JavaPairRDD<Integer, ReaderFunctions.IdxChunk> chunks(
      SparkSession spark, SerializableConfiguration conf, Header images, Header labels, long firstIndex, ReaderFunctions.IdxLabels labelCheck) {
    int perChunk = Math.max(1, CHUNK_BYTES / images.itemSize());
    int numChunks = (images.count() + perChunk - 1) / perChunk;
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    return jsc.parallelize(List.of(0), 1)
        .flatMapToPair(new ReaderFunctions.IdxChunks(conf, images, labels, firstIndex, perChunk, labelCheck))
        .partitionBy(new HashPartitioner(numChunks));
  }

  /**
   * Runs the read: every chunk is read and checked and the largest label (-1 without labels)
   * returned; the shuffle's output stays for the jobs that use the rows.
   */
  private static int largestLabel(JavaPairRDD<Integer, ReaderFunctions.IdxChunk> chunks) {
    return chunks.values().map(new ReaderFunctions.LargestLabel()).reduce(Math::max);
  }
}
