package io.sitter.bench;

import io.sitter.TestFiles;
import io.sitter.data.InputFormat;
import io.sitter.data.InputSpec;
import io.sitter.prep.NormalizationMode;
import io.sitter.prep.PrepData;
import io.sitter.prep.PrepJob;
import io.sitter.prep.PrepOptions;
import org.apache.spark.sql.Row;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitter.cli.SparkSessions;
import io.sitter.config.ConfigLoader;
import io.sitter.config.SitterConfig;
import io.sitter.model.NetworkFactory;
import io.sitter.train.TrainJob;
import io.sitter.train.TrainRequest;
import io.sitter.train.TrainResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training benchmark behind scripts/bench/train (not a test): prepares Fashion-MNIST with sitter's
 * own prep job, runs the distributed trainer, and measures a single-JVM DL4J fit of the same network
 * for comparison. Prints one JSON object.
 *
 * <pre>
 *   prepare IDX_DIR OUT_DIR         sitter prep: scale 1/255, standardize on train; val = 10% of the official train
 *   distributed DATA_DIR RUN_DIR P [key=value ...]
 *   single DATA_DIR MINIBATCHES     fits the default net on the prep output's training rows
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

  /**
   * Fashion-MNIST through the product's own prep: the official train set split 0.9/0.1 into train and
   * val (stratified, seed 42), the official test set as test, pixels scaled by 1/255 then
   * standardized on the train split.
   */
  static void prepare(Path idx, Path out) {
    SparkSession spark = SparkSessions.create("bench prepare", false);
    PrepJob.run(spark, new PrepOptions(new InputSpec(TestFiles.hadoop(idx), null, InputFormat.IDX, "last"), List.of(0.9, 0.1, 0.0), 42, true,
        NormalizationMode.STANDARDIZE, 1.0 / 255, TestFiles.hadoop(out), false));
    spark.stop();
  }

  static void distributed(Path data, Path run, int partitions, List<String> sets) throws IOException {
    SitterConfig config = ConfigLoader.defaults(sets);
    SparkSession spark = SparkSessions.create("bench train", false);
    TrainResult r = TrainJob.run(spark, new TrainRequest(TestFiles.hadoop(data), TestFiles.hadoop(run), config, partitions,
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
    o.put("nd4j_binary", nd4jBinary());
    System.out.println(JSON.writeValueAsString(o));
    spark.stop();
  }

  /**
   * The classifier directory ND4J's native library was loaded from (e.g. {@code linux-x86_64-avx2}):
   * JavaCPP picks among the nd4j-native jars on the classpath at load time, so the benchmark reports
   * what actually ran rather than what was meant to.
   */
  static String nd4jBinary() {
    Nd4j.create(1); // makes sure the backend is loaded
    return org.bytedeco.javacpp.Loader.getLoadedLibraries().values().stream()
        .filter(p -> p != null && p.contains("libnd4jcpu"))
        .map(p -> Path.of(p).getParent().getFileName().toString())
        .findFirst().orElse("unknown");
  }

  /** Fits the default net on the prep output's first training rows, in one JVM, and times it. */
  static void single(Path data, int minibatches) throws IOException {
    SparkSession spark = SparkSessions.create("bench single", false);
    List<Row> rows = PrepData.open(spark, TestFiles.hadoop(data), "prep").split("train").limit(16384).collectAsList();
    spark.stop();
    float[][] tx = new float[rows.size()][];
    int[] ty = new int[rows.size()];
    for (int i = 0; i < tx.length; i++) {
      List<Float> f = rows.get(i).getList(1);
      tx[i] = new float[f.size()];
      for (int j = 0; j < tx[i].length; j++) {
        tx[i][j] = f.get(j);
      }
      ty[i] = rows.get(i).getInt(2);
    }
    SitterConfig c = ConfigLoader.defaults();
    MultiLayerNetwork net = NetworkFactory.build(c.model(), c.train(), 784, 10, 42);
    int b = c.train().minibatchSize();
    int warmup = 20;
    long started = 0;
    for (int k = 0; k < warmup + minibatches; k++) {
      if (k == warmup) {
        started = System.nanoTime();
      }
      int from = (k * b) % (ty.length - b);
      float[] x = new float[b * 784];
      float[] y = new float[b * 10];
      for (int r = 0; r < b; r++) {
        System.arraycopy(tx[from + r], 0, x, r * 784, 784);
        y[r * 10 + ty[from + r]] = 1;
      }
      net.fit(new DataSet(Nd4j.create(x, new long[] {b, 784}, DataType.FLOAT), Nd4j.create(y, new long[] {b, 10}, DataType.FLOAT)));
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    ObjectNode o = JSON.createObjectNode();
    o.put("minibatches", minibatches);
    o.put("omp_num_threads", System.getenv("OMP_NUM_THREADS"));
    o.put("seconds", seconds);
    o.put("samples_per_second", minibatches * (double) b / seconds);
    o.put("nd4j_binary", nd4jBinary());
    System.out.println(JSON.writeValueAsString(o));
  }
}
