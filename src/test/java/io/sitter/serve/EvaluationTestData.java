package io.sitter.serve;

import io.sitter.config.ConfigLoader;
import io.sitter.config.SitterConfig;
import io.sitter.model.NetworkFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small generated classification data and a partly trained network for the serve tests. */
final class EvaluationTestData {
  static final StructType SCHEMA =
      new StructType()
          .add("index", DataTypes.LongType, false)
          .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
          .add("label", DataTypes.IntegerType, false);

  final float[][] x;
  final int[] y;

  /** {@code n} rows of {@code d} N(0,1) features; the label is the argmax of the first {@code classes} features. */
  EvaluationTestData(int n, int d, int classes, long seed) {
    Random r = new Random(seed);
    x = new float[n][d];
    y = new int[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        x[i][j] = (float) r.nextGaussian();
      }
      int best = 0;
      for (int c = 1; c < classes; c++) {
        if (x[i][c] > x[i][best]) {
          best = c;
        }
      }
      y[i] = best;
    }
  }

  INDArray features() {
    return Nd4j.createFromArray(x).castTo(DataType.FLOAT);
  }

  INDArray oneHot(int classes) {
    INDArray l = Nd4j.zeros(DataType.FLOAT, y.length, classes);
    for (int i = 0; i < y.length; i++) {
      l.putScalar(i, y[i], 1f);
    }
    return l;
  }

  Dataset<Row> toDataset(SparkSession spark, int partitions) {
    List<Row> rows = new ArrayList<>(y.length);
    for (int i = 0; i < y.length; i++) {
      List<Float> f = new ArrayList<>(x[i].length);
      for (float v : x[i]) {
        f.add(v);
      }
      rows.add(RowFactory.create((long) i, f, y[i]));
    }
    return spark.createDataFrame(rows, SCHEMA).repartition(partitions);
  }

  /** A BN network fitted for a few epochs on this data, so predictions are neither constant nor perfect. */
  MultiLayerNetwork trainedNetwork(int classes, int epochs) {
    SitterConfig c = ConfigLoader.load(List.of(), List.of("model.hiddenLayers=[16, 8]", "train.learningRate=0.01"));
    MultiLayerNetwork net = NetworkFactory.build(c.model(), c.train(), x[0].length, classes, 7);
    INDArray features = features();
    INDArray labels = oneHot(classes);
    for (int e = 0; e < epochs; e++) {
      for (int from = 0; from < y.length; from += 64) {
        int to = Math.min(y.length, from + 64);
        net.fit(features.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to)),
            labels.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to)));
      }
    }
    return net;
  }
}
