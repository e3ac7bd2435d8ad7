package io.sitter.serve;

import io.sitter.config.ConfigLoader;
import io.sitter.config.SitterConfig;
import io.sitter.model.NetworkFactory;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small generated classification data and a partly trained network for the serve tests. */
public final class EvaluationTestData {
  static final StructType SCHEMA =
      new StructType()
          .add("index", DataTypes.LongType, false)
          .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
          .add("label", DataTypes.IntegerType, false);

  public final float[][] x;
  public final int[] y;

  /** {@code n} rows of {@code d} N(0,1) features; the label is the argmax of the first {@code classes} features. */
  public EvaluationTestData(int n, int d, int classes, long seed) {
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

  public INDArray features() {
    return Nd4j.createFromArray(x).castTo(DataType.FLOAT);
  }

  public INDArray oneHot(int classes) {
    INDArray l = Nd4j.zeros(DataType.FLOAT, y.length, classes);
    for (int i = 0; i < y.length; i++) {
      l.putScalar(i, y[i], 1f);
    }
    return l;
  }

  public Dataset<Row> toDataset(SparkSession spark, int partitions) {
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
  public MultiLayerNetwork trainedNetwork(int classes, int epochs) {
    SitterConfig c = ConfigLoader.defaults(List.of("model.hiddenLayers=[16, 8]", "train.learningRate=0.01"));
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

  /**
   * A preprocessing.json as prep writes it (docs/formats.md) for this data: identity
   * standardization (mean 0, std 1), so the rows are already "normalized".
   */
  public String preprocessingJson(List<String> classes, boolean labelsWereStrings) {
    return preprocessingJson(classes, labelsWereStrings, new double[x[0].length], filled(x[0].length, 1.0));
  }

  /** A standardizing preprocessing.json with these statistics (of the scale-1 training data). */
  public String preprocessingJson(List<String> classes, boolean labelsWereStrings, double[] mean, double[] std) {
    String names = classes.stream().map(c -> "\"" + c + "\"").collect(java.util.stream.Collectors.joining(","));
    return "{\"schemaVersion\":1,\"input\":\"/generated\",\"format\":\"csv\",\"labelColumn\":\"last\","
        + "\"mode\":\"standardize\",\"scale\":1.0,\"numFeatures\":" + mean.length + ",\"numClasses\":" + classes.size()
        + ",\"classes\":[" + names + "],\"labelsWereStrings\":" + labelsWereStrings
        + ",\"mean\":" + java.util.Arrays.toString(mean) + ",\"std\":" + java.util.Arrays.toString(std)
        + ",\"min\":" + java.util.Arrays.toString(filled(mean.length, -10)) + ",\"max\":" + java.util.Arrays.toString(filled(mean.length, 10))
        + ",\"pixelMean\":0.0,\"zeroVarianceFeatures\":[],\"counts\":{\"train\":0,\"val\":0,\"test\":" + y.length + "}"
        + ",\"seed\":42,\"split\":[0.0,0.0,1.0],\"stratify\":false}";
  }

  private static double[] filled(int n, double v) {
    double[] a = new double[n];
    java.util.Arrays.fill(a, v);
    return a;
  }

  /**
   * This data as a raw CSV file (header, features, label name last) that standardizing with
   * {@code mean} and {@code std} turns back into {@link #x}: each value is {@code x * std + mean}.
   */
  public void writeRawCsv(Path file, List<String> classes, double[] mean, double[] std) throws java.io.IOException {
    StringBuilder sb = new StringBuilder();
    for (int j = 0; j < x[0].length; j++) {
      sb.append("f").append(j).append(',');
    }
    sb.append("label\n");
    for (int i = 0; i < y.length; i++) {
      for (int j = 0; j < x[i].length; j++) {
        sb.append((float) (x[i][j] * std[j] + mean[j])).append(',');
      }
      sb.append(classes.get(y[i])).append('\n');
    }
    Files.writeString(file, sb.toString());
  }

  /** A run directory as train writes it: model.zip (with updater) and preprocessing.json. */
  public void writeRun(Path run, MultiLayerNetwork net, List<String> classes, boolean labelsWereStrings) throws java.io.IOException {
    writeRun(run, net, preprocessingJson(classes, labelsWereStrings));
  }

  /** A run directory with this preprocessing.json text. */
  public static void writeRun(Path run, MultiLayerNetwork net, String preprocessingJson) throws java.io.IOException {
    Files.createDirectories(run);
    ModelSerializer.writeModel(net, run.resolve("model.zip").toFile(), true);
    Files.writeString(run.resolve("preprocessing.json"), preprocessingJson);
  }

  /** A prep output directory holding this data as its test split. */
  public void writePrepDirectory(SparkSession spark, Path dir, List<String> classes, boolean labelsWereStrings) throws java.io.IOException {
    Files.createDirectories(dir);
    toDataset(spark, 2).write().parquet(dir.resolve("test").toString());
    Files.writeString(dir.resolve("preprocessing.json"), preprocessingJson(classes, labelsWereStrings));
  }
}
