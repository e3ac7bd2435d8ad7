package io.sitter.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.TestFiles;
import io.sitter.TestSpark;
import io.sitter.config.BadInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every reader on small files written here, compared with what was written. */
class DataReadersTest {
  private final SparkSession spark = TestSpark.session();
  @TempDir Path dir;

  private static InputSpec spec(Path input, String label) {
    return new InputSpec(TestFiles.hadoop(input), null, InputFormat.AUTO, label);
  }

  /** index -> (features, label), collected (the data are tiny). */
  private static Map<Long, Object[]> byIndex(Dataset<Row> rows) {
    Map<Long, Object[]> out = new TreeMap<>();
    for (Row r : rows.collectAsList()) {
      List<Double> f = r.getList(1);
      double[] a = new double[f.size()];
      for (int j = 0; j < a.length; j++) {
        a[j] = f.get(j);
      }
      out.put(r.getLong(0), new Object[] {a, r.getInt(2)});
    }
    return out;
  }

  @Test
  void csvWithHeaderAndStringLabelsMapsLabelsInSortedOrder() {
    Path csv = TestFiles.write(dir.resolve("a.csv"), List.of("", "x,y,kind", "1,2.5,dog", "", "3,4,cat", "5,-6e-3,emu"));
    LabeledData d = DataReaders.read(spark, spec(csv, "kind"), null);
    assertEquals(List.of("cat", "dog", "emu"), d.classes());
    assertTrue(d.labelsWereStrings());
    assertEquals(2, d.numFeatures());
    assertNull(d.predefinedTest());
    Map<Long, Object[]> rows = byIndex(d.rows());
    assertEquals(3, rows.size());
    assertArrayEquals(new double[] {1, 2.5}, (double[]) rows.get(0L)[0]);
    assertEquals(1, rows.get(0L)[1]);
    assertEquals(0, rows.get(1L)[1]);
    assertArrayEquals(new double[] {5, -6e-3}, (double[]) rows.get(2L)[0]);
    assertEquals(2, rows.get(2L)[1]);
    assertEquals(DataSchema.VALUES.simpleString(), d.rows().schema().simpleString());
  }

  @Test
  void csvLabelFirstOrByIndexAndGzip() throws Exception {
    Path csv = TestFiles.write(dir.resolve("b.csv"), List.of("\uFEFF2,0.5,1", "0,1.5,2", "1,2.5,3"));
    LabeledData first = DataReaders.read(spark, spec(csv, "first"), null);
    assertEquals(List.of("0", "1", "2"), first.classes());
    assertFalse(first.labelsWereStrings());
    Map<Long, Object[]> rows = byIndex(first.rows());
    assertEquals(2, rows.get(0L)[1]);
    assertArrayEquals(new double[] {1.5, 2}, (double[]) rows.get(1L)[0]);
    BadInputException e = assertThrows(BadInputException.class, () -> DataReaders.read(spark, spec(csv, "1"), null));
    assertTrue(e.getMessage().contains("b.csv: line 1: label '0.5' is not an integer"), e.getMessage());

    Path gz = dir.resolve("b.csv.gz");
    try (var out = new java.util.zip.GZIPOutputStream(java.nio.file.Files.newOutputStream(gz))) {
      out.write(java.nio.file.Files.readAllBytes(csv));
    }
    assertEquals(rowsAsText(first.rows()), rowsAsText(DataReaders.read(spark, spec(gz, "first"), null).rows()));
  }

  @Test
  void csvWithoutLabelsGivesMinusOneAndKnownClassesAreLookedUp() {
    Path csv = TestFiles.write(dir.resolve("c.csv"), List.of("1,2,1.0", "3,4,0"));
    LabeledData none = DataReaders.read(spark, spec(csv, "none"), null);
    assertEquals(List.of(), none.classes());
    assertEquals(3, none.numFeatures());
    assertTrue(byIndex(none.rows()).values().stream().allMatch(r -> (int) r[1] == -1));

    LabeledData known = DataReaders.read(spark, spec(csv, "last"), List.of("0", "1", "2"));
    assertEquals(List.of("0", "1", "2"), known.classes());
    assertEquals(1, byIndex(known.rows()).get(0L)[1], "1.0 is class '1'");
    BadInputException e =
        assertThrows(BadInputException.class, () -> DataReaders.read(spark, spec(csv, "last"), List.of("cat", "dog")));
    assertTrue(e.getMessage().contains("c.csv: line 1: label '1.0' is not one of the 2 classes"), e.getMessage());
  }

  @Test
  void libsvmIsOneBasedAndSparse() {
    Path svm = TestFiles.write(dir.resolve("d.libsvm"), List.of("1 1:0.5 3:2", "# comment", "0 2:-1 # tail", "2 4:7"));
    LabeledData d = DataReaders.read(spark, spec(svm, "last"), null);
    assertEquals(4, d.numFeatures());
    Map<Long, Object[]> rows = byIndex(d.rows());
    assertArrayEquals(new double[] {0.5, 0, 2, 0}, (double[]) rows.get(0L)[0]);
    assertArrayEquals(new double[] {0, -1, 0, 0}, (double[]) rows.get(1L)[0]);
    assertArrayEquals(new double[] {0, 0, 0, 7}, (double[]) rows.get(2L)[0]);
    assertEquals(List.of(1, 0, 2), rows.values().stream().map(r -> (int) r[1]).toList());
    assertEquals(6, DataReaders.read(spark, spec(svm, "last"), null, 6).numFeatures());
  }

  @Test
  void parquetWithFeatureArrayOrVectorStructOrColumns() {
    StructType arraySchema =
        new StructType()
            .add("features", DataTypes.createArrayType(DataTypes.DoubleType))
            .add("label", DataTypes.StringType);
    Path a = dir.resolve("arr.parquet");
    spark.createDataFrame(
            List.of(RowFactory.create(new double[] {1, 2}, "x"), RowFactory.create(new double[] {3, 4}, "y")), arraySchema)
        .coalesce(1)
        .write()
        .parquet(a.toString());
    LabeledData arr = DataReaders.read(spark, spec(a, "last"), null);
    assertEquals(List.of("x", "y"), arr.classes());
    assertArrayEquals(new double[] {3, 4}, (double[]) byIndex(arr.rows()).get(1L)[0]);

    // What a Spark ML VectorUDT column is stored as: (type 0 sparse / 1 dense, size, indices, values).
    StructType vector =
        new StructType()
            .add("type", DataTypes.ByteType)
            .add("size", DataTypes.IntegerType)
            .add("indices", DataTypes.createArrayType(DataTypes.IntegerType))
            .add("values", DataTypes.createArrayType(DataTypes.DoubleType));
    StructType vecSchema = new StructType().add("features", vector).add("label", DataTypes.IntegerType);
    Path v = dir.resolve("vec.parquet");
    spark.createDataFrame(
            List.of(
                RowFactory.create(RowFactory.create((byte) 1, null, null, new double[] {1, 2, 3}), 0),
                RowFactory.create(RowFactory.create((byte) 0, 3, new int[] {2}, new double[] {9}), 1)),
            vecSchema)
        .coalesce(1)
        .write()
        .parquet(v.toString());
    Map<Long, Object[]> vec = byIndex(DataReaders.read(spark, spec(v, "last"), null).rows());
    assertArrayEquals(new double[] {1, 2, 3}, (double[]) vec.get(0L)[0]);
    assertArrayEquals(new double[] {0, 0, 9}, (double[]) vec.get(1L)[0]);

    StructType cols =
        new StructType().add("y", DataTypes.IntegerType).add("a", DataTypes.DoubleType).add("b", DataTypes.FloatType);
    Path c = dir.resolve("cols");
    spark.createDataFrame(List.of(RowFactory.create(1, 0.5, 1.5f), RowFactory.create(0, 2.5, 3.5f)), cols)
        .coalesce(1)
        .write()
        .parquet(c.toString());
    LabeledData byName = DataReaders.read(spark, new InputSpec(TestFiles.hadoop(c), null, InputFormat.PARQUET, "y"), null);
    Map<Long, Object[]> colRows = byIndex(byName.rows());
    assertArrayEquals(new double[] {0.5, 1.5}, (double[]) colRows.get(0L)[0]);
    assertEquals(1, colRows.get(0L)[1]);
  }

  @Test
  void idxFileGzippedOrNotAndStandardDirectory() {
    byte[][] train = TestFiles.idxData(7, 2, 3, 3, 1);
    byte[][] test = TestFiles.idxData(4, 2, 3, 3, 2);
    Path plain = TestFiles.idx(dir.resolve("p/train-images-idx3-ubyte"), new int[] {7, 2, 3}, train[0], false);
    TestFiles.idx(dir.resolve("p/train-labels-idx1-ubyte"), new int[] {7}, train[1], false);
    LabeledData one = DataReaders.read(spark, spec(plain, "last"), null);
    assertEquals(6, one.numFeatures());
    assertEquals(List.of("0", "1", "2"), one.classes());
    Map<Long, Object[]> rows = byIndex(one.rows());
    assertEquals(7, rows.size());
    for (int i = 0; i < 7; i++) {
      double[] f = (double[]) rows.get((long) i)[0];
      for (int j = 0; j < 6; j++) {
        assertEquals(train[0][i * 6 + j] & 0xFF, f[j], 0.0);
      }
      assertEquals(train[1][i], (int) rows.get((long) i)[1]);
    }

    Path gzDir = dir.resolve("gz");
    TestFiles.idx(gzDir.resolve("train-images-idx3-ubyte.gz"), new int[] {7, 2, 3}, train[0], true);
    TestFiles.idx(gzDir.resolve("train-labels-idx1-ubyte.gz"), new int[] {7}, train[1], true);
    TestFiles.idx(gzDir.resolve("t10k-images-idx3-ubyte.gz"), new int[] {4, 2, 3}, test[0], true);
    TestFiles.idx(gzDir.resolve("t10k-labels-idx1-ubyte.gz"), new int[] {4}, test[1], true);
    LabeledData both = DataReaders.read(spark, spec(gzDir, "last"), null);
    assertEquals(rowsAsText(one.rows()), rowsAsText(both.rows()));
    assertNotNull(both.predefinedTest());
    Map<Long, Object[]> testRows = byIndex(both.predefinedTest());
    assertEquals(List.of(7L, 8L, 9L, 10L), new ArrayList<>(testRows.keySet()), "test rows are numbered after the train rows");
    assertEquals(test[0][6] & 0xFF, ((double[]) testRows.get(8L)[0])[0], 0.0);
  }

  /** The bad-input error of {@code read}, thrown on the driver or carried in a Spark task failure. */
  private static BadInputException badInput(org.junit.jupiter.api.function.Executable read) {
    Throwable t = assertThrows(Throwable.class, read);
    return BadInputException.find(t).orElseThrow(() -> new AssertionError("not a bad-input error", t));
  }

  @Test
  void csvDirectoryReadsPartFilesInNameOrderEachWithItsHeader() {
    Path parts = dir.resolve("parts");
    TestFiles.write(parts.resolve("part-00000.csv"), List.of("a,b,y", "1,2,0", "3,4,1"));
    TestFiles.write(parts.resolve("part-00001.csv"), List.of("a,b,y", "5,6,1"));
    TestFiles.write(parts.resolve("_SUCCESS"), List.of());
    Map<Long, Object[]> rows = byIndex(DataReaders.read(spark, spec(parts, "y"), null).rows());
    assertEquals(3, rows.size());
    assertArrayEquals(new double[] {5, 6}, (double[]) rows.get(2L)[0]);
    TestFiles.write(parts.resolve("part-00002.csv"), List.of("a,b,y", "7,8,1", "9,x,0"));
    BadInputException e = badInput(() -> DataReaders.read(spark, spec(parts, "y"), null));
    assertTrue(e.getMessage().contains("part-00002.csv: line 3: non-numeric value 'x' in column 2"), e.getMessage());
  }

  @Test
  void readerErrorsNameFileAndRow() {
    StructType schema =
        new StructType().add("features", DataTypes.createArrayType(DataTypes.FloatType)).add("label", DataTypes.IntegerType);
    Path p = dir.resolve("nan.parquet");
    spark.createDataFrame(
            List.of(RowFactory.create(new float[] {1, 2}, 0), RowFactory.create(new float[] {1, 2}, 1), RowFactory.create(new float[] {Float.NaN, 2}, 1)),
            schema)
        .coalesce(1)
        .write()
        .parquet(p.toString());
    BadInputException nan = badInput(() -> DataReaders.read(spark, spec(p, "last"), null));
    assertTrue(nan.getMessage().matches("(?s).*nan\\.parquet/part-[^:]*\\.parquet: row 3: non-finite value NaN in feature 0.*"), nan.getMessage());

    Path svm = TestFiles.write(dir.resolve("bad.svm"), List.of("1 1:1 2:2", "0 3:1 2:1"));
    BadInputException order = badInput(() -> DataReaders.read(spark, spec(svm, "last"), null));
    assertTrue(order.getMessage().contains("bad.svm: line 2: indices must be 1-based and ascending, got 2 after 3"), order.getMessage());

    Path csv = TestFiles.write(dir.resolve("w.csv"), List.of("1,2,0", "3,4,1"));
    BadInputException width = badInput(() -> DataReaders.read(spark, spec(csv, "last"), null, 3));
    assertTrue(width.getMessage().contains("w.csv: rows have 2 features, expected 3"), width.getMessage());

    byte[][] d = TestFiles.idxData(3, 1, 2, 2, 1);
    Path images = TestFiles.idx(dir.resolve("i/x-images-idx3-ubyte"), new int[] {3, 1, 2}, d[0], false);
    TestFiles.idx(dir.resolve("i/x-labels-idx1-ubyte"), new int[] {2}, new byte[2], false);
    BadInputException count = badInput(() -> DataReaders.read(spark, spec(images, "last"), null));
    assertTrue(count.getMessage().contains("x-labels-idx1-ubyte: 2 labels for 3 images"), count.getMessage());
    TestFiles.idx(dir.resolve("i/x-labels-idx1-ubyte"), new int[] {3}, new byte[] {0, 1, 7}, false);
    BadInputException unknown =
        badInput(() -> DataReaders.read(spark, spec(images, "last"), List.of("0", "1")));
    assertTrue(unknown.getMessage().contains("x-labels-idx1-ubyte: item 2 (0-based): label 7 is not one of the 2 classes"), unknown.getMessage());
  }

  private static List<String> rowsAsText(Dataset<Row> rows) {
    List<String> out = new ArrayList<>();
    byIndex(rows).forEach((k, v) -> out.add(k + ":" + java.util.Arrays.toString((double[]) v[0]) + ":" + v[1]));
    return out;
  }
}
