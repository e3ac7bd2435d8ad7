package io.sitter.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input is refused before training, naming the column and the first offending row. */
class SitterInputChecksTest {
  private static SparkSession spark;

  @BeforeAll
  static void session() {
    spark = TestSpark.session();
  }

  /** 12 good rows (two classes, 3 features) with row {@code at} replaced by {@code features, label}. */
  private static Dataset<Row> rows(int at, double[] features, double label) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      rows.add(i == at ? RowFactory.create(Vectors.dense(features), label)
          : RowFactory.create(Vectors.dense(i, i % 3, 1), (double) (i % 2)));
    }
    return spark.createDataFrame(rows, MlTestData.SCHEMA);
  }

  private static IllegalArgumentException refused(Dataset<Row> data, SitterClassifier c) {
    return assertThrows(IllegalArgumentException.class, () -> c.fit(data));
  }

  private static void assertNames(IllegalArgumentException e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + p + "' in: " + e.getMessage());
    }
  }

  @Test
  void aMissingColumnIsNamed() {
    assertNames(refused(rows(-1, null, 0), MlTestData.small().setFeaturesCol("pixels")), "featuresCol 'pixels' does not exist", "features, label");
    assertNames(refused(rows(-1, null, 0), MlTestData.small().setLabelCol("y")), "labelCol 'y' does not exist");
  }

  @Test
  void columnsOfTheWrongTypeAreNamed() {
    StructType schema = new StructType().add("features", DataTypes.createArrayType(DataTypes.StringType)).add("label", DataTypes.DoubleType);
    Dataset<Row> strings = spark.createDataFrame(List.of(RowFactory.create(new String[] {"1", "2"}, 0.0)), schema);
    assertNames(refused(strings, MlTestData.small()), "featuresCol 'features' must be of type ml.linalg.Vector", "or an array of float or double",
        "array<string>");
    Dataset<Row> text = rows(-1, null, 0).withColumn("label", org.apache.spark.sql.functions.lit("cat"));
    assertNames(refused(text, MlTestData.small()), "labelCol 'label' must be numeric", "StringIndexer");
  }

  @Test
  void transformSchemaValidatesAsSparksEstimatorsDo() {
    SitterClassifier c = new SitterClassifier();
    assertThrows(IllegalArgumentException.class, () -> c.transformSchema(new StructType().add("label", DataTypes.DoubleType)));
    StructType out = c.transformSchema(MlTestData.SCHEMA);
    StructType spark = new org.apache.spark.ml.classification.LogisticRegression().transformSchema(MlTestData.SCHEMA);
    assertEquals(List.of(spark.fieldNames()), List.of(out.fieldNames()), "the columns Spark's own classifiers add");
    for (String f : spark.fieldNames()) {
      assertEquals(spark.apply(f).dataType(), out.apply(f).dataType(), f);
    }
  }

  @Test
  void vectorsOfDifferentSizesNameTheFirstOffendingRow() {
    assertNames(refused(rows(5, new double[] {1, 2}, 0), MlTestData.small()),
        "featuresCol 'features': vectors of different sizes: row 0 has 3 features, this row 2", "row 5");
  }

  @Test
  void nanAndInfiniteFeaturesNameTheRowAndFeature() {
    assertNames(refused(rows(7, new double[] {1, 2, Double.NaN}, 0), MlTestData.small()), "featuresCol 'features' holds NaN at feature 2", "row 7");
    assertNames(refused(rows(3, new double[] {Double.NEGATIVE_INFINITY, 2, 1}, 1), MlTestData.small()), "holds -Infinity at feature 0", "row 3");
    // Finite as a double but beyond float range: the network computes in float, where it would be infinite.
    assertNames(refused(rows(4, new double[] {1, 1e300, 1}, 1), MlTestData.small()), "holds 1.0E300 at feature 1", "row 4", "float32 range");
  }

  @Test
  void labelsOutOfRangeOrNotIntegersNameTheRow() {
    assertNames(refused(rows(9, new double[] {1, 2, 3}, -1), MlTestData.small()), "labelCol 'label' holds -1.0", "row 9");
    assertNames(refused(rows(2, new double[] {1, 2, 3}, 1.5), MlTestData.small()), "labelCol 'label' holds 1.5", "row 2");
    assertNames(refused(rows(1, new double[] {1, 2, 3}, 500), MlTestData.small()), "label 500", "StringIndexer");
    // With label metadata (StringIndexer's), the declared number of classes is the range.
    Dataset<Row> declared = rows(6, new double[] {1, 2, 3}, 2).withColumn("label", org.apache.spark.sql.functions.col("label"),
        NominalAttribute.defaultAttr().withNumValues(2).toMetadata());
    assertNames(refused(declared, MlTestData.small()), "labelCol 'label' holds 2.0", "row 6", "declares 2 classes");
  }

  @Test
  void fewerThanTwoClassesAreRefused() {
    Dataset<Row> one = rows(-1, null, 0).withColumn("label", org.apache.spark.sql.functions.lit(1.0));
    assertNames(refused(one, MlTestData.small()), "labelCol 'label' holds one class (1.0) in all 12 rows");
  }

  @Test
  void nothingIsWrittenBeforeTheChecksPass(@TempDir Path tmp) {
    Path run = tmp.resolve("run");
    refused(rows(5, new double[] {1, 2}, 0), MlTestData.small().setRunDir(run.toString()));
    assertTrue(!Files.exists(run), "no run directory for rejected input");
  }
}
