package io.sitter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitter.cli.SparkSessions;
import io.sitter.config.ConfigLoader;
import io.sitter.config.SitterConfig;
import io.sitter.model.NetworkFactory;
import io.sitter.train.TrainJob;
import io.sitter.train.TrainRequest;
import io.sitter.train.TrainResult;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training benchmark behind scripts/bench/train (not a test): prepares Fashion-MNIST as a prep
 * output with a quick IDX reader (the product reader is prep's), runs the distributed trainer, and
 * measures a single-JVM DL4J fit of the same network for comparison. Prints one JSON object.
 *
 * <pre>
 *   prepare IDX_DIR OUT_DIR         standardized on the train split; val = 6000 of the official train
 *   distributed DATA_DIR RUN_DIR P [key=value ...]
 *   single IDX_DIR MINIBATCHES      fits the default net on standardized training minibatches
 * </pre>
 */
public final class TrainBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TrainBench() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "prepare" -> prepare(Path.of(args[1]), Path.of(args[2]));
      case "distributed" -> distributed(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]),
          List.of(Arrays.copyOfRange(args, 4, args.length)));
      case "single" -> single(Path.of(args[1]), Integer.parseInt(args[2]));
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  /** Images as floats scaled to [0, 1] and labels. */
  record Idx(float[][] x, int[] y) {}

  static Idx read(Path dir, String prefix) throws IOException {
    float[][] x;
    try (DataInputStream in = new DataInputStream(open(dir, prefix + "-images-idx3-ubyte"))) {
      in.readInt();
      int n = in.readInt();
      int d = in.readInt() * in.readInt();
      x = new float[n][d];
      byte[] buf = new byte[d];
      for (int i = 0; i < n; i++) {
        in.readFully(buf);
        for (int j = 0; j < d; j++) {
          x[i][j] = (buf[j] & 0xFF) / 255f;
        }
      }
    }
    int[] y;
    try (DataInputStream in = new DataInputStream(open(dir, prefix + "-labels-idx1-ubyte"))) {
      in.readInt();
      int n = in.readInt();
      y = new int[n];
      for (int i = 0; i < n; i++) {
        y[i] = in.readUnsignedByte();
      }
    }
    return new Idx(x, y);
  }

  private static InputStream open(Path dir, String name) throws IOException {
    Path gz = dir.resolve(name + ".gz");
    if (Files.exists(gz)) {
      return new GZIPInputStream(Files.newInputStream(gz), 1 << 16);
    }
    return Files.newInputStream(dir.resolve(name));
  }

  /** Per-feature mean and population std of {@code rows}; std 0 becomes 1. */
  static double[][] moments(float[][] rows) {
    int d = rows[0].length;
    double[] mean = new double[d];
    double[] var = new double[d];
    for (float[] r : rows) {
      for (int j = 0; j < d; j++) {
        mean[j] += r[j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= rows.length;
    }
    for (float[] r : rows) {
      for (int j = 0; j < d; j++) {
        var[j] += (r[j] - mean[j]) * (r[j] - mean[j]);
      }
    }
    double[] std = new double[d];
    for (int j = 0; j < d; j++) {
      std[j] = Math.sqrt(var[j] / rows.length);
      if (std[j] == 0) {
        std[j] = 1;
      }
    }
    return new double[][] {mean, std};
  }

  static void standardize(float[][] rows, double[][] m) {
    for (float[] r : rows) {
      for (int j = 0; j < r.length; j++) {
        r[j] = (float) ((r[j] - m[0][j]) / m[1][j]);
      }
    }
  }

  static void prepare(Path idx, Path out) throws IOException {
    Idx train = read(idx, "train");
    Idx test = read(idx, "t10k");
    Integer[] order = new Integer[train.y().length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Collections.shuffle(Arrays.asList(order), new Random(42));
    int nVal = 6000;
    float[][] tx = new float[order.length - nVal][];
    int[] ty = new int[order.length - nVal];
    float[][] vx = new float[nVal][];
    int[] vy = new int[nVal];
    for (int k = 0; k < order.length; k++) {
      int i = order[k];
      if (k < nVal) {
        vx[k] = train.x()[i];
        vy[k] = train.y()[i];
      } else {
        tx[k - nVal] = train.x()[i];
        ty[k - nVal] = train.y()[i];
      }
    }
    double[][] m = moments(tx);
    standardize(tx, m);
    standardize(vx, m);
    standardize(test.x(), m);
    SparkSession spark = SparkSessions.create("bench prepare", false);
    write(spark, out.resolve("train"), tx, ty, 0);
    write(spark, out.resolve("val"), vx, vy, tx.length);
    write(spark, out.resolve("test"), test.x(), test.y(), 60000);
    ObjectNode p = JSON.createObjectNode();
    p.put("schemaVersion", 1);
    p.put("input", idx.toAbsolutePath().toString());
    p.put("format", "idx");
    p.put("mode", "standardize");
    p.put("scale", 1.0 / 255);
    p.put("numFeatures", 784);
    p.put("numClasses", 10);
    ArrayNode classes = p.putArray("classes");
    for (int c = 0; c < 10; c++) {
      classes.add(Integer.toString(c));
    }
    p.put("labelsWereStrings", false);
    ObjectNode counts = p.putObject("counts");
    counts.put("train", tx.length);
    counts.put("val", vx.length);
    counts.put("test", test.y().length);
    p.put("seed", 42);
    Files.writeString(out.resolve("preprocessing.json"), JSON.writeValueAsString(p));
    spark.stop();
  }

  private static void write(SparkSession spark, Path dir, float[][] x, int[] y, long first) {
    List<Row> rows = new ArrayList<>(y.length);
    for (int i = 0; i < y.length; i++) {
      Float[] f = new Float[x[i].length];
      for (int j = 0; j < f.length; j++) {
        f[j] = x[i][j];
      }
      rows.add(RowFactory.create(first + i, f, y[i]));
    }
    spark.createDataFrame(rows, io.sitter.shard.Shards.ROWS).repartition(4).write().parquet(dir.toString());
  }

  static void distributed(Path data, Path run, int partitions, List<String> sets) throws IOException {
    SitterConfig config = ConfigLoader.load(List.of(), sets);
    SparkSession spark = SparkSessions.create("bench train", false);
    TrainResult r = TrainJob.run(spark, new TrainRequest(data, run, config, partitions,
        TrainRequest.OutputMode.OVERWRITE, List.of(), Map.of("sitter", "bench"), new PrintWriter(System.err, true)));
    double examples = 0;
    double trainSeconds = 0;
    List<Double> rates = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
      JsonNode m = JSON.readTree(line);
      double ex = m.get("examples_seen").asDouble() - examples;
      examples = m.get("examples_seen").asDouble();
      trainSeconds += ex / m.get("samples_per_second").asDouble();
      rates.add(m.get("samples_per_second").asDouble());
    }
    ObjectNode o = JSON.createObjectNode();
    o.put("partitions", partitions);
    o.put("master", spark.sparkContext().master());
    o.put("epochs", r.epochs());
    o.put("rounds", r.rounds());
    o.put("averaging_frequency", r.averagingFrequency());
    o.put("test_accuracy", r.testAccuracy());
    o.put("val_accuracy", r.valAccuracy());
    o.put("val_accuracy_before_reestimate", r.valAccuracyBeforeReestimate());
    o.put("train_loss", r.trainLoss());
    o.put("wall_seconds", r.seconds());
    o.put("training_seconds", trainSeconds);
    o.put("samples_per_second", examples / trainSeconds);
    List<Double> sorted = new ArrayList<>(rates);
    sorted.sort(null);
    o.put("round_samples_per_second_median", sorted.get(sorted.size() / 2));
    System.out.println(JSON.writeValueAsString(o));
    spark.stop();
  }

  static void single(Path idx, int minibatches) throws IOException {
    Idx train = read(idx, "train");
    double[][] m = moments(train.x());
    standardize(train.x(), m);
    SitterConfig c = ConfigLoader.defaults();
    MultiLayerNetwork net = NetworkFactory.build(c.model(), c.train(), 784, 10, 42);
    int b = c.train().minibatchSize();
    int warmup = 20;
    long started = 0;
    for (int k = 0; k < warmup + minibatches; k++) {
      if (k == warmup) {
        started = System.nanoTime();
      }
      int from = (k * b) % (train.y().length - b);
      float[] x = new float[b * 784];
      float[] y = new float[b * 10];
      for (int r = 0; r < b; r++) {
        System.arraycopy(train.x()[from + r], 0, x, r * 784, 784);
        y[r * 10 + train.y()[from + r]] = 1;
      }
      net.fit(new DataSet(Nd4j.create(x, new long[] {b, 784}, DataType.FLOAT), Nd4j.create(y, new long[] {b, 10}, DataType.FLOAT)));
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    ObjectNode o = JSON.createObjectNode();
    o.put("minibatches", minibatches);
    o.put("omp_num_threads", System.getenv("OMP_NUM_THREADS"));
    o.put("seconds", seconds);
    o.put("samples_per_second", minibatches * (double) b / seconds);
    System.out.println(JSON.writeValueAsString(o));
  }
}
