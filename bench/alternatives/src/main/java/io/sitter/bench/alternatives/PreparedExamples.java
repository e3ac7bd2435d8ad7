package io.sitter.bench.alternatives;

import io.sitter.data.DataSchema;
import io.sitter.prep.PrepData;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple3;

/**
 * One split of a sitter prep directory in driver memory, in row-index order: features row-major in
 * one float array (54k x 784 floats is 170 MB, where boxed {@code Row}s would be over 1 GB).
 */
final class PreparedExamples {
  final int size;
  final int numFeatures;
  final float[] features;
  final int[] labels;

  private PreparedExamples(int size, int numFeatures, float[] features, int[] labels) {
    this.size = size;
    this.numFeatures = numFeatures;
    this.features = features;
    this.labels = labels;
  }

  static PreparedExamples read(SparkSession spark, Path prepDir, String split) {
    List<Tuple3<Long, float[], Integer>> rows = PrepData.open(spark, Contestants.hadoop(prepDir), "--data").split(split).javaRDD()
        .map(new ToTuple()).collect();
    rows = new java.util.ArrayList<>(rows);
    rows.sort(Comparator.comparing(Tuple3::_1));
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(prepDir + ": split " + split + " has no rows");
    }
    int d = rows.get(0)._2().length;
    float[] x = new float[rows.size() * d];
    int[] y = new int[rows.size()];
    for (int i = 0; i < y.length; i++) {
      System.arraycopy(rows.get(i)._2(), 0, x, i * d, d);
      y[i] = rows.get(i)._3();
    }
    return new PreparedExamples(y.length, d, x, y);
  }

  /** Examples {@code order[from..from+n)} as one DataSet with one-hot FLOAT labels. */
  DataSet batch(int[] order, int from, int n, int numClasses) {
    float[] x = new float[n * numFeatures];
    float[] y = new float[n * numClasses];
    for (int r = 0; r < n; r++) {
      int i = order[from + r];
      System.arraycopy(features, i * numFeatures, x, r * numFeatures, numFeatures);
      y[r * numClasses + labels[i]] = 1;
    }
    return new DataSet(Nd4j.create(x, new long[] {n, numFeatures}, DataType.FLOAT),
        Nd4j.create(y, new long[] {n, numClasses}, DataType.FLOAT));
  }

  INDArray featureMatrix() {
    return Nd4j.create(features, new long[] {size, numFeatures}, DataType.FLOAT);
  }

  /** A row as (index, features, label): Scala tuples and float[] need no Kryo registration. */
  static final class ToTuple implements Function<Row, Tuple3<Long, float[], Integer>> {
    @Override
    public Tuple3<Long, float[], Integer> call(Row row) {
      List<Float> f = row.getList(row.fieldIndex(DataSchema.FEATURES));
      float[] x = new float[f.size()];
      for (int j = 0; j < x.length; j++) {
        x[j] = f.get(j);
      }
      return new Tuple3<>(row.getLong(row.fieldIndex(DataSchema.INDEX)), x, row.getInt(row.fieldIndex(DataSchema.LABEL)));
    }
  }
}
