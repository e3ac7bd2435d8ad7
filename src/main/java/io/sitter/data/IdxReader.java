package io.sitter.data;

import io.sitter.config.BadInputException;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The IDX format of MNIST and Fashion-MNIST (gzip or not): a big-endian header (two zero bytes,
 * the element type 0x08 = unsigned byte, the number of dimensions, then each dimension), then the
 * bytes. Images become features 0..255 (every dimension after the first flattened), labels the
 * class indices.
 *
 * <p>An IDX file is one compressed stream that cannot be split, so it is read once on the driver
 * (Fashion-MNIST's training images are 47 MB as bytes) and shipped to the executors as byte
 * chunks of about 4 MB, which they widen to floats: four times less data through the scheduler
 * than building float rows on the driver, and no executor decompresses the stream again.
 */
final class IdxReader {
  static final String[] STANDARD = {
    "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"
  };
  private static final int CHUNK_BYTES = 4 << 20;

  private IdxReader() {}

  record Result(Dataset<Row> rows, Dataset<Row> test, int numFeatures, List<String> classes) {}

  /** An IDX file's contents: the item count, the size of one item, the bytes. */
  record IdxFile(Path path, int count, int itemSize, byte[] data) {}

  static boolean isStandardDirectory(Path dir) {
    return Files.isDirectory(dir) && find(dir, STANDARD[0]) != null;
  }

  static Result read(SparkSession spark, InputSpec spec, List<String> knownClasses, int expectedFeatures) {
    Path trainImages;
    Path trainLabels;
    Path testImages = null;
    Path testLabels = null;
    if (Files.isDirectory(spec.input())) {
      Path[] found = new Path[4];
      for (int k = 0; k < 4; k++) {
        found[k] = find(spec.input(), STANDARD[k]);
        if (found[k] == null && (spec.hasLabels() || k % 2 == 0)) {
          throw new BadInputException(spec.input() + ": IDX directory lacks " + STANDARD[k] + "[.gz]");
        }
      }
      trainImages = found[0];
      trainLabels = found[1];
      testImages = found[2];
      testLabels = found[3];
    } else {
      trainImages = spec.input();
      trainLabels = spec.labels() != null ? spec.labels() : spec.hasLabels() ? besideImages(spec.input()) : null;
    }
    IdxFile images = load(trainImages);
    IdxFile labels = spec.hasLabels() ? load(trainLabels) : null;
    checkPair(images, labels);
    IdxFile tImages = testImages == null ? null : load(testImages);
    IdxFile tLabels = testImages == null || !spec.hasLabels() ? null : load(testLabels);
    if (tImages != null) {
      checkPair(tImages, tLabels);
      if (tImages.itemSize() != images.itemSize()) {
        throw new BadInputException(testImages + ": items of " + tImages.itemSize() + " values, but the training images have " + images.itemSize());
      }
    }
    if (expectedFeatures > 0 && images.itemSize() != expectedFeatures) {
      throw new BadInputException(trainImages + ": items of " + images.itemSize() + " values, expected " + expectedFeatures);
    }
    List<String> classes = classes(knownClasses, labels, tLabels);
    if (knownClasses != null) {
      remap(labels, knownClasses);
      remap(tLabels, knownClasses);
    }
    Dataset<Row> rows = rows(spark, images, labels, 0);
    Dataset<Row> test = tImages == null ? null : rows(spark, tImages, tLabels, images.count());
    return new Result(rows, test, images.itemSize(), classes);
  }

  /** {@code train-images-idx3-ubyte.gz} -> {@code train-labels-idx1-ubyte.gz} (or without .gz). */
  static Path besideImages(Path images) {
    String name = images.getFileName().toString();
    String guess = name.replace("images", "labels").replace("idx3", "idx1");
    String base = guess.endsWith(".gz") ? guess.substring(0, guess.length() - 3) : guess;
    for (String candidate : List.of(guess, base, base + ".gz")) {
      Path p = images.resolveSibling(candidate);
      if (!candidate.equals(name) && Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new BadInputException(
        images + ": no labels file " + images.resolveSibling(guess) + " beside it; give it with --labels (or --label none)");
  }

  private static Path find(Path dir, String base) {
    for (String name : List.of(base, base + ".gz")) {
      Path p = dir.resolve(name);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  static IdxFile load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new BadInputException("IDX file " + file + " does not exist");
    }
    try (DataInputStream in = new DataInputStream(InputFiles.open(file))) {
      int magic = in.readInt();
      int type = (magic >>> 8) & 0xFF;
      int dims = magic & 0xFF;
      if ((magic >>> 16) != 0 || type != 0x08 || dims < 1) {
        throw new BadInputException(
            file + ": wrong IDX magic number 0x" + String.format("%08x", magic) + " (expected 0x000008NN: unsigned bytes, NN dimensions)");
      }
      int count = in.readInt();
      long itemSize = 1;
      for (int k = 1; k < dims; k++) {
        int d = in.readInt();
        if (d < 1) {
          throw new BadInputException(file + ": IDX dimension " + (k + 1) + " is " + d);
        }
        itemSize *= d;
      }
      if (count < 0 || (long) count * itemSize > Integer.MAX_VALUE - 64) {
        throw new BadInputException(file + ": IDX header announces " + count + " items of " + itemSize + " bytes: too large or negative");
      }
      if (count == 0) {
        throw new BadInputException(file + ": empty input (0 items)");
      }
      byte[] data = new byte[(int) (count * itemSize)];
      in.readFully(data);
      if (in.read() >= 0) {
        throw new BadInputException(file + ": more bytes than the header's " + count + " items");
      }
      return new IdxFile(file, count, (int) itemSize, data);
    } catch (EOFException e) {
      throw new BadInputException(file + ": truncated IDX file (fewer bytes than its header announces)", e);
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot read IDX file: " + e.getMessage(), e);
    }
  }

  private static void checkPair(IdxFile images, IdxFile labels) {
    if (labels == null) {
      return;
    }
    if (labels.itemSize() != 1) {
      throw new BadInputException(labels.path() + ": a labels file must be one-dimensional, its items have " + labels.itemSize() + " values");
    }
    if (labels.count() != images.count()) {
      throw new BadInputException(labels.path() + ": " + labels.count() + " labels for " + images.count() + " images in " + images.path());
    }
  }

  private static List<String> classes(List<String> known, IdxFile labels, IdxFile testLabels) {
    if (known != null) {
      return List.copyOf(known);
    }
    if (labels == null) {
      return List.of();
    }
    int largest = Math.max(largest(labels), testLabels == null ? 0 : largest(testLabels));
    List<String> classes = new ArrayList<>();
    for (int k = 0; k <= largest; k++) {
      classes.add(Integer.toString(k));
    }
    return List.copyOf(classes);
  }

  private static int largest(IdxFile labels) {
    int m = 0;
    for (byte b : labels.data()) {
      m = Math.max(m, b & 0xFF);
    }
    return m;
  }

  /** Rewrites labels in place as indices among a saved model's classes. */
  private static void remap(IdxFile labels, List<String> known) {
    if (labels == null) {
      return;
    }
    byte[] d = labels.data();
    for (int i = 0; i < d.length; i++) {
      int k = known.indexOf(Integer.toString(d[i] & 0xFF));
      if (k < 0 || k > 255) {
        throw new BadInputException(
            labels.path() + ": item " + i + " (0-based): label " + (d[i] & 0xFF) + " is not one of the " + known.size() + " classes " + LabelMapper.abbreviate(known));
      }
      d[i] = (byte) k;
    }
  }

  private static Dataset<Row> rows(SparkSession spark, IdxFile images, IdxFile labels, long firstIndex) {
    int perChunk = Math.max(1, CHUNK_BYTES / images.itemSize());
    List<ReaderFunctions.IdxChunk> chunks = new ArrayList<>();
    for (int start = 0; start < images.count(); start += perChunk) {
      int end = Math.min(images.count(), start + perChunk);
      byte[] pixels = java.util.Arrays.copyOfRange(images.data(), start * images.itemSize(), end * images.itemSize());
      byte[] lab = labels == null ? null : java.util.Arrays.copyOfRange(labels.data(), start, end);
      chunks.add(new ReaderFunctions.IdxChunk(firstIndex + start, images.itemSize(), pixels, lab, images.path().toString()));
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    return spark.createDataFrame(jsc.parallelize(chunks, chunks.size()).flatMap(new ReaderFunctions.IdxRows()), DataSchema.ROWS);
  }
}
