package io.sitter.ml;

import io.sitter.TestFiles;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The tests' DataFrames: the same rows as {@link TestFiles#blobsCsv} writes, as ML vectors and double labels. */
final class MlTestData {
  static final StructType SCHEMA = new StructType()
      .add("features", SQLDataTypes.VectorType())
      .add("label", DataTypes.DoubleType);

  private MlTestData() {}

  /** The CSV lines' rows, in order: features parsed as doubles (exactly what sitter's CSV reader reads), label last. */
  static Dataset<Row> frame(SparkSession spark, List<String> csvLines) {
    List<Row> rows = new ArrayList<>();
    for (String line : csvLines) {
      String[] f = line.split(",");
      double[] x = new double[f.length - 1];
      for (int j = 0; j < x.length; j++) {
        x[j] = Double.parseDouble(f[j]);
      }
      rows.add(RowFactory.create(Vectors.dense(x), Double.parseDouble(f[f.length - 1])));
    }
    return spark.createDataFrame(rows, SCHEMA);
  }

  /** A small, fast configuration: one hidden layer of 8, two epochs, minibatches of 16, two partitions. */
  static SitterClassifier small() {
    return new SitterClassifier()
        .setHiddenLayers(new int[] {8})
        .setEpochs(2)
        .setMinibatchSize(16)
        .setSeed(7)
        .setNumPartitions(2)
        .setValidationFraction(0.2)
        .setPreflightChecks(false);
  }
}
