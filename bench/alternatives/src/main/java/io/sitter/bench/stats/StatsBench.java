package io.sitter.bench.stats;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitter.cli.SparkSessions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The statistics benchmark behind scripts/bench/stats (issue 9, item 3): sitter's per-feature
 * statistics job against Spark ML's Summarizer, a plain two-pass and a one-pass sum/sum-of-squares,
 * timed warm on 60,000 x 784 Parquet and scored against a compensated two-pass in double on the
 * driver. Prints one JSON object. Not a test: figures are noisy on a shared machine.
 *
 * <pre>
 *   data IDX_DIR OUT_DIR          writes OUT_DIR/fashion-mnist-train.parquet and OUT_DIR/hard-1e4-1e-2.parquet
 *   run REPEATS NAME=PATH ...     times every contestant REPEATS times per dataset (after one warm-up each)
 * </pre>
 *
 * <p>Contestants run round-robin within each repeat, starting one further along each time, so a
 * change in the machine's load, or the garbage one leaves for the next, falls on all of them
 * alike. Besides the jobs, the per-row arithmetic alone is timed on the driver over the collected
 * rows (one thread, no reading): what Welford's division per value costs next to plain sums.
 */
public final class StatsBench {
  static final double TARGET_RATIO = 1.1;
  static final double TARGET_ERROR = 1e-9;
  private static final ObjectMapper JSON = new ObjectMapper();

  private StatsBench() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "data" -> data(Path.of(args[1]), Path.of(args[2]));
      case "run" -> run(Integer.parseInt(args[1]), List.of(args).subList(2, args.length));
      default -> throw new IllegalArgumentException("unknown mode " + args[0] + " (data | run)");
    }
  }

  static void data(Path idx, Path out) {
    SparkSession spark = SparkSessions.create("bench stats data", false);
    BenchData.fashionMnist(spark, idx, out.resolve("fashion-mnist-train.parquet"));
    BenchData.hard(spark, out.resolve("hard-1e4-1e-2.parquet"), 7);
    spark.stop();
  }

  static void run(int repeats, List<String> datasets) throws Exception {
    if (repeats < 1) {
      throw new IllegalArgumentException("REPEATS must be >= 1, got " + repeats);
    }
    SparkSession spark = SparkSessions.create("bench stats", false);
    ObjectNode out = JSON.createObjectNode();
    out.put("master", spark.sparkContext().master());
    out.put("spark", spark.version());
    out.put("java", System.getProperty("java.version"));
    out.put("repeats", repeats);
    out.put("warmup_runs_per_contestant", 1);
    out.put("target", "sitter within " + TARGET_RATIO + "x of the fastest alternative, max relative error <= " + TARGET_ERROR);
    ArrayNode results = out.putArray("datasets");
    for (String d : datasets) {
      int eq = d.indexOf('=');
      results.add(dataset(spark, d.substring(0, eq), d.substring(eq + 1), repeats));
    }
    spark.stop();
    System.out.println(JSON.writeValueAsString(out));
  }

  private static ObjectNode dataset(SparkSession spark, String name, String path, int repeats) {
    List<double[]> rows = Contestants.rows(spark, path).collect();
    int numFeatures = rows.get(0).length;
    Moments reference = Reference.of(rows, numFeatures);
    int partitions = spark.read().parquet(path).javaRDD().getNumPartitions();
    ObjectNode arithmetic = ArithmeticOnly.time(rows, numFeatures, 7);
    rows = null; // 188 MB: let it go before the timed runs
    Map<Contestants, Moments> results = new EnumMap<>(Contestants.class);
    for (Contestants c : Contestants.values()) {
      results.put(c, c.compute(spark, path, numFeatures)); // warm-up; its result is the one scored
    }
    Map<Contestants, List<Double>> seconds = new EnumMap<>(Contestants.class);
    Contestants[] order = Contestants.values();
    for (int r = 0; r < repeats; r++) {
      for (int i = 0; i < order.length; i++) {
        Contestants c = order[(r + i) % order.length];
        long t0 = System.nanoTime();
        c.compute(spark, path, numFeatures);
        seconds.computeIfAbsent(c, k -> new ArrayList<>()).add((System.nanoTime() - t0) / 1e9);
      }
    }
    ObjectNode o = JSON.createObjectNode();
    o.put("name", name);
    o.put("path", path);
    o.put("rows", reference.count());
    o.put("features", numFeatures);
    o.put("input_partitions", partitions);
    o.set("arithmetic_only_one_thread", arithmetic);
    ArrayNode list = o.putArray("contestants");
    Contestants fastestOther = null;
    Contestants fastestOtherAccurate = null;
    for (Contestants c : Contestants.values()) {
      Moments m = results.get(c);
      double median = median(seconds.get(c));
      double meanError = Reference.maxRelativeError(m.mean(), reference.mean());
      double stdError = Reference.maxRelativeError(m.std(), reference.std());
      ObjectNode e = list.addObject();
      e.put("name", c.name().toLowerCase(java.util.Locale.ROOT));
      e.put("description", c.description);
      e.put("seconds_median", median);
      ArrayNode all = e.putArray("seconds");
      seconds.get(c).forEach(all::add);
      putNumber(e, "mean_max_relative_error", meanError);
      putNumber(e, "std_max_relative_error", stdError);
      e.put("count_matches", m.count() == reference.count());
      boolean accurate = meanError <= TARGET_ERROR && stdError <= TARGET_ERROR && m.count() == reference.count();
      e.put("within_error_target", accurate);
      if (c != Contestants.SITTER) {
        if (fastestOther == null || median < median(seconds.get(fastestOther))) {
          fastestOther = c;
        }
        if (accurate && (fastestOtherAccurate == null || median < median(seconds.get(fastestOtherAccurate)))) {
          fastestOtherAccurate = c;
        }
      }
    }
    double sitter = median(seconds.get(Contestants.SITTER));
    double fastest = median(seconds.get(fastestOther));
    o.put("fastest_alternative", fastestOther.name().toLowerCase(java.util.Locale.ROOT));
    o.put("sitter_over_fastest_alternative", sitter / fastest);
    // Runs of one repeat are seconds apart: their ratio shrugs off load that drifts between repeats.
    List<Double> paired = new ArrayList<>();
    for (int r = 0; r < repeats; r++) {
      paired.add(seconds.get(Contestants.SITTER).get(r) / seconds.get(fastestOther).get(r));
    }
    o.put("sitter_over_fastest_alternative_paired_median", median(paired));
    if (fastestOtherAccurate != null) {
      o.put("fastest_accurate_alternative", fastestOtherAccurate.name().toLowerCase(java.util.Locale.ROOT));
      o.put("sitter_over_fastest_accurate_alternative", sitter / median(seconds.get(fastestOtherAccurate)));
    }
    boolean sitterAccurate = list.get(0).get("within_error_target").asBoolean();
    o.put("target_met", sitterAccurate && sitter <= TARGET_RATIO * fastest);
    return o;
  }

  /** JSON has no infinity or NaN: those are written as strings. */
  private static void putNumber(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) {
      o.put(key, v);
    } else {
      o.put(key, Double.toString(v));
    }
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
