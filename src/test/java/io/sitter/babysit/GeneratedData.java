package io.sitter.babysit;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Small generated training splits in prep's schema (docs/formats.md): index, features, label. */
final class GeneratedData {
  static final StructType SCHEMA = new StructType()
      .add("index", DataTypes.LongType, false)
      .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
      .add("label", DataTypes.IntegerType, false);

  private GeneratedData() {}

  /** One generated example, kept as plain Java so tests can recompute things from it. */
  record Example(long index, float[] features, int label) {
    Row row() {
      Float[] boxed = new Float[features.length];
      for (int j = 0; j < features.length; j++) {
        boxed[j] = features[j];
      }
      return RowFactory.create(index, boxed, label);
    }
  }

  /** Gaussian blobs: class c centred at 3 * e_(c mod d), unit noise; roughly standardized scale. */
  static List<Example> blobs(int n, int features, int classes, long seed) {
    Random r = new Random(seed);
    List<Example> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int label = i % classes;
      rows.add(new Example(i, point(r, features, label, 3.0), label));
    }
    return rows;
  }

  /** Blobs where class c gets a share proportional to {@code weights[c]}. */
  static List<Example> imbalanced(int n, int features, double[] weights, long seed) {
    Random r = new Random(seed);
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    List<Example> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double u = r.nextDouble() * total;
      int label = 0;
      while (label < weights.length - 1 && u >= weights[label]) {
        u -= weights[label];
        label++;
      }
      rows.add(new Example(i, point(r, features, label, 3.0), label));
    }
    return rows;
  }

  /** The same examples with labels permuted at random: features no longer predict them. */
  static List<Example> shuffledLabels(List<Example> rows, long seed) {
    List<Integer> labels = new ArrayList<>();
    for (Example e : rows) {
      labels.add(e.label());
    }
    java.util.Collections.shuffle(labels, new Random(seed));
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      out.add(new Example(rows.get(i).index(), rows.get(i).features(), labels.get(i)));
    }
    return out;
  }

  static Dataset<Row> frame(SparkSession spark, List<Example> examples, int partitions) {
    return rows(spark, examples.stream().map(Example::row).toList(), partitions);
  }

  static Dataset<Row> rows(SparkSession spark, List<Row> rows, int partitions) {
    return spark.createDataFrame(rows, SCHEMA).repartition(partitions);
  }

  private static float[] point(Random r, int features, int label, double separation) {
    float[] f = new float[features];
    for (int j = 0; j < features; j++) {
      f[j] = (float) (r.nextGaussian() + (j == label % features ? separation : 0));
    }
    return f;
  }
}
