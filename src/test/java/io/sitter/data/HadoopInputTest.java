package io.sitter.data;

import static org.apache.spark.sql.functions.spark_partition_id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.TestFiles;
import io.sitter.TestSpark;
import io.sitter.config.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The readers on Hadoop paths: {@code file://} URIs read exactly what plain paths read, data is
 * read inside Spark tasks (a counting file system tells), IDX files are spread over partitions in
 * file order, and a missing or unreachable input is bad input naming its URI.
 */
class HadoopInputTest {
  private final SparkSession spark = TestSpark.session();
  @TempDir java.nio.file.Path dir;

  @BeforeAll
  static void registerCountingFileSystem() {
    CountingFileSystem.register(TestSpark.session().sparkContext().hadoopConfiguration());
  }

  private static InputSpec spec(Path input, String label) {
    return new InputSpec(input, null, InputFormat.AUTO, label);
  }

  private static Path fileUri(java.nio.file.Path p) {
    return new Path("file://" + p.toAbsolutePath().normalize());
  }

  /** Every row as text, in index order, with the index: what "identical" means here. */
  private static List<String> rows(Dataset<Row> rows) {
    List<String> out = new ArrayList<>();
    for (Row r : rows.orderBy(DataSchema.INDEX).collectAsList()) {
      out.add(r.getLong(0) + ":" + r.getList(1) + ":" + r.getInt(2));
    }
    return out;
  }

  @Test
  void fileUrisReadWhatPlainPathsRead() {
    java.nio.file.Path csv = TestFiles.write(dir.resolve("a.csv"), TestFiles.blobsCsv(30, 3, 3, 1, true));
    java.nio.file.Path svm = TestFiles.write(dir.resolve("b.libsvm"), List.of("1 1:0.5 3:2", "0 2:-1", "2 4:7"));
    java.nio.file.Path parquet = dir.resolve("c.parquet");
    StructType schema = new StructType().add("features", DataTypes.createArrayType(DataTypes.FloatType)).add("label", DataTypes.IntegerType);
    spark.createDataFrame(List.of(RowFactory.create(new float[] {1, 2}, 0), RowFactory.create(new float[] {3, 4}, 1)), schema)
        .coalesce(1).write().parquet(parquet.toString());
    byte[][] train = TestFiles.idxData(9, 2, 2, 3, 4);
    java.nio.file.Path idx = dir.resolve("idx");
    TestFiles.idx(idx.resolve("train-images-idx3-ubyte.gz"), new int[] {9, 2, 2}, train[0], true);
    TestFiles.idx(idx.resolve("train-labels-idx1-ubyte.gz"), new int[] {9}, train[1], true);
    for (java.nio.file.Path input : List.of(csv, svm, parquet, idx.resolve("train-images-idx3-ubyte.gz"))) {
      LabeledData plain = DataReaders.read(spark, new InputSpec(TestFiles.hadoop(input), null, InputFormat.AUTO, "last"), null);
      LabeledData uri = DataReaders.read(spark, spec(fileUri(input), "last"), null);
      assertEquals(rows(plain.rows()), rows(uri.rows()), input.toString());
      assertEquals(plain.classes(), uri.classes());
      assertEquals(plain.source(), uri.source(), "a local file is named by its plain path either way");
      assertEquals(plain.rows().javaRDD().getNumPartitions(), uri.rows().javaRDD().getNumPartitions());
    }
    // --labels as a URI, from another directory than the images file's.
    java.nio.file.Path labels = TestFiles.idx(dir.resolve("elsewhere/l.idx"), new int[] {9}, train[1], false);
    LabeledData beside = DataReaders.read(spark, new InputSpec(TestFiles.hadoop(idx.resolve("train-images-idx3-ubyte.gz")), null, InputFormat.AUTO, "last"), null);
    LabeledData given = DataReaders.read(spark, new InputSpec(fileUri(idx.resolve("train-images-idx3-ubyte.gz")), fileUri(labels), InputFormat.AUTO, "last"), null);
    assertEquals(rows(beside.rows()), rows(given.rows()));
  }

  /**
   * Fashion-MNIST-like IDX files big enough for two chunks: the driver reads only headers, tasks
   * read every byte, and the rows come out in file order, chunk k in partition k, equal to an
   * independent parse of the bytes.
   */
  @Test
  void idxIsReadInTasksAndSpreadOverPartitionsInFileOrder() throws Exception {
    int n = 6000;
    int test = 700;
    byte[][] train = TestFiles.idxData(n, 28, 28, 10, 11);
    byte[][] t10k = TestFiles.idxData(test, 28, 28, 10, 12);
    java.nio.file.Path idx = dir.resolve("fm");
    TestFiles.idx(idx.resolve("train-images-idx3-ubyte.gz"), new int[] {n, 28, 28}, train[0], true);
    TestFiles.idx(idx.resolve("train-labels-idx1-ubyte.gz"), new int[] {n}, train[1], true);
    TestFiles.idx(idx.resolve("t10k-images-idx3-ubyte"), new int[] {test, 28, 28}, t10k[0], false);
    TestFiles.idx(idx.resolve("t10k-labels-idx1-ubyte"), new int[] {test}, t10k[1], false);
    long fileBytes = 0;
    try (var files = Files.list(idx)) {
      for (java.nio.file.Path f : files.toList()) {
        fileBytes += Files.size(f);
      }
    }

    CountingFileSystem.reset();
    LabeledData d = DataReaders.read(spark, spec(CountingFileSystem.of(idx), "last"), null);
    // collectAsList keeps partition order and the order within each partition.
    List<Row> collected = d.rows().withColumn("partition", spark_partition_id()).collectAsList();
    List<List<Row>> partitions = new ArrayList<>();
    for (Row r : collected) {
      int p = r.getInt(3);
      while (partitions.size() <= p) {
        partitions.add(new ArrayList<>());
      }
      partitions.get(p).add(r);
    }
    assertEquals(2, d.rows().javaRDD().getNumPartitions(), "one partition per 4 MB chunk");
    List<Row> testRows = d.predefinedTest().collectAsList();

    assertTrue(CountingFileSystem.OUTSIDE_TASKS.get() < 16 * 1024,
        "the driver read " + CountingFileSystem.OUTSIDE_TASKS.get() + " bytes: headers only");
    assertTrue(CountingFileSystem.IN_TASKS.get() >= fileBytes,
        "tasks read " + CountingFileSystem.IN_TASKS.get() + " of " + fileBytes + " bytes");
    assertTrue(CountingFileSystem.IN_TASKS.get() < fileBytes + fileBytes / 2,
        "tasks read " + CountingFileSystem.IN_TASKS.get() + " bytes for " + fileBytes + ": the files once, though three jobs used the rows");

    int perChunk = (4 << 20) / 784;
    assertEquals(2, partitions.size());
    assertEquals(perChunk, partitions.get(0).size());
    byte[] pixels = gunzipIdxData(idx.resolve("train-images-idx3-ubyte.gz"), 16);
    byte[] labels = gunzipIdxData(idx.resolve("train-labels-idx1-ubyte.gz"), 8);
    long expected = 0;
    for (List<Row> partition : partitions) {
      for (Row r : partition) {
        assertEquals(expected, r.getLong(0), "rows in file order");
        List<Double> f = r.getList(1);
        int i = (int) expected;
        for (int j = 0; j < 784; j += 97) {
          assertEquals(pixels[i * 784 + j] & 0xFF, f.get(j), 0.0);
        }
        assertEquals(labels[i] & 0xFF, r.getInt(2));
        expected++;
      }
    }
    assertEquals(n, expected);
    assertEquals(test, testRows.size());
    assertEquals(n, testRows.get(0).getLong(0), "test rows are numbered after the train rows");
    assertEquals(t10k[0][783] & 0xFF, testRows.get(0).<Double>getList(1).get(783), 0.0);
    assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), d.classes());
  }

  /** The bytes after an IDX header, decompressed: an independent reading of the file. */
  private static byte[] gunzipIdxData(java.nio.file.Path file, int headerBytes) {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      byte[] all = in.readAllBytes();
      return Arrays.copyOfRange(all, headerBytes, all.length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** CSV, LibSVM and Parquet: tasks read the data; the driver at most a CSV file's first line or a Parquet footer (the schema). */
  @Test
  void textAndParquetAreReadInTasks() throws IOException {
    List<String> lines = TestFiles.blobsCsv(1000, 20, 3, 5, true);
    java.nio.file.Path csv = TestFiles.write(dir.resolve("big.csv"), lines);
    List<String> svm = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] v = line.split(",");
      StringBuilder b = new StringBuilder(v[v.length - 1]);
      for (int j = 0; j < v.length - 1; j++) {
        b.append(' ').append(j + 1).append(':').append(v[j]);
      }
      svm.add(b.toString());
    }
    java.nio.file.Path libsvm = TestFiles.write(dir.resolve("big.libsvm"), svm);
    java.nio.file.Path parquet = dir.resolve("big.parquet");
    DataReaders.read(spark, new InputSpec(TestFiles.hadoop(csv), null, InputFormat.AUTO, "label"), null).rows()
        .select("features", "label").coalesce(1).write().parquet(parquet.toString());
    long parquetBytes = 0;
    try (var files = Files.list(parquet)) {
      for (java.nio.file.Path f : files.filter(f -> f.getFileName().toString().endsWith(".parquet")).toList()) {
        parquetBytes += Files.size(f);
      }
    }
    record Case(java.nio.file.Path input, String label, long bytes, long driverBound) {}
    List<Case> cases = List.of(
        new Case(csv, "label", Files.size(csv), 64 * 1024), new Case(libsvm, "first", Files.size(libsvm), 0), new Case(parquet, "last", parquetBytes, 64 * 1024));
    for (Case c : cases) {
      CountingFileSystem.reset();
      LabeledData d = DataReaders.read(spark, spec(CountingFileSystem.of(c.input()), c.label()), null);
      assertEquals(1000, d.rows().count());
      assertTrue(CountingFileSystem.OUTSIDE_TASKS.get() <= c.driverBound(), c.input() + ": driver read " + CountingFileSystem.OUTSIDE_TASKS.get());
      assertTrue(CountingFileSystem.IN_TASKS.get() >= c.bytes(), c.input() + ": tasks read " + CountingFileSystem.IN_TASKS.get() + " of " + c.bytes());
    }
  }

  @Test
  void aBadMagicNumberIsReportedBeforeAMissingLabelsFile() {
    java.nio.file.Path notIdx = TestFiles.write(dir.resolve("x/train-images-idx3-ubyte"), List.of("a,b,c", "1,2,3"));
    BadInputException e = assertThrows(BadInputException.class, () -> DataReaders.read(spark, new InputSpec(TestFiles.hadoop(notIdx), null, InputFormat.IDX, "last"), null));
    assertTrue(e.getMessage().contains(notIdx + ": wrong IDX magic number 0x"), e.getMessage());
  }

  /** The bad-input error of {@code read}, thrown on the driver or carried in a Spark task failure. */
  private static BadInputException badInput(Executable read) {
    Throwable t = assertThrows(Throwable.class, read);
    return BadInputException.find(t).orElseThrow(() -> new AssertionError("not a bad-input error", t));
  }

  @Test
  void idxLengthIsCheckedInTheTaskGzippedOrNot() {
    byte[][] d = TestFiles.idxData(5, 2, 2, 2, 3);
    for (boolean gz : List.of(false, true)) {
      String suffix = gz ? ".gz" : "";
      java.nio.file.Path short_ = TestFiles.idx(dir.resolve("s" + gz + "/a-images-idx3-ubyte" + suffix), new int[] {6, 2, 2}, d[0], gz);
      TestFiles.idx(dir.resolve("s" + gz + "/a-labels-idx1-ubyte" + suffix), new int[] {6}, new byte[6], gz);
      BadInputException e = badInput(() -> DataReaders.read(spark, new InputSpec(TestFiles.hadoop(short_), null, InputFormat.AUTO, "last"), null));
      assertTrue(e.getMessage().contains(short_ + ": truncated IDX file"), e.getMessage());

      java.nio.file.Path longer = TestFiles.idx(dir.resolve("l" + gz + "/a-images-idx3-ubyte" + suffix), new int[] {4, 2, 2}, d[0], gz);
      TestFiles.idx(dir.resolve("l" + gz + "/a-labels-idx1-ubyte" + suffix), new int[] {4}, new byte[4], gz);
      e = badInput(() -> DataReaders.read(spark, new InputSpec(TestFiles.hadoop(longer), null, InputFormat.AUTO, "last"), null));
      assertTrue(e.getMessage().contains(longer + ": more bytes than the header's 4 items"), e.getMessage());
    }
  }

  @Test
  void aMissingUriIsBadInputNamingIt() {
    Path missing = fileUri(dir.resolve("nope.csv"));
    BadInputException e = assertThrows(BadInputException.class, () -> DataReaders.read(spark, spec(missing, "last"), null));
    assertEquals("input " + dir.resolve("nope.csv") + " does not exist", e.getMessage());
    Path counted = CountingFileSystem.of(dir.resolve("nope.csv"));
    e = assertThrows(BadInputException.class, () -> DataReaders.read(spark, spec(counted, "last"), null));
    assertEquals("input " + counted + " does not exist", e.getMessage());
  }

  /** Nothing listens on the port: the read fails in seconds (not Hadoop's default retry loops), naming the URI. */
  @Test
  void anUnreachableNamenodeFailsWithin30SecondsNamingTheUri() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String uri = "hdfs://127.0.0.1:" + port + "/data/wine.csv";
    long start = System.nanoTime();
    BadInputException e = assertThrows(BadInputException.class, () -> DataReaders.read(spark, spec(new Path(uri), "last"), null));
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("unreachable namenode: failed after %.1f s: %s%n", seconds, e.getMessage());
    assertTrue(seconds < 30, "took " + seconds + " s");
    assertTrue(e.getMessage().startsWith("input " + uri + ": cannot reach its file system at 127.0.0.1:" + port + " (connection refused)"), e.getMessage());
  }
}
