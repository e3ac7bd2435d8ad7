package io.sitter.bench;

import io.sitter.TestFiles;
import io.sitter.storage.PrepDirectory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitter.cli.SparkSessions;
import io.sitter.config.ConfigLoader;
import io.sitter.config.SitterConfig;
import io.sitter.model.NetworkFactory;
import io.sitter.prep.PrepData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The analysis behind scripts/bench/cluster (not a test): reads the run directories the script's
 * {@code sitter train} runs wrote (their {@code metrics.jsonl}, docs/formats.md), takes medians of
 * the steady rounds, fits the round-cost model ({@link RoundCostModel}) and extrapolates it to 100
 * executors. Writes one JSON file.
 *
 * <pre>
 *   ClusterBench report RUNS_TSV LOAD_TSV OUT_JSON [key=value ...]   (key=value pairs go to "machine")
 *   ClusterBench subset PREP_DIR EVAL_ROWS DIR=TRAIN_ROWS ...        prefixes of a prep directory's splits
 * </pre>
 */
public final class ClusterBench {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** Executors of the extrapolation. */
  static final int FAR = 100;
  /** Bandwidths of the extrapolation's real-cluster scenarios, bytes per second (10 and 1 Gbit/s). */
  static final double[] LINKS = {1.25e9, 0.125e9};

  private ClusterBench() {}

  /** One line of runs.tsv. */
  record Run(String part, String label, String master, int partitions, String hidden, Path dir, double wallSeconds) {
    boolean cluster() {
      return master.startsWith("spark://");
    }
  }

  /** One metrics.jsonl row, the fields this benchmark reads. */
  record Round(int round, long iteration, long examples, double seconds, double broadcast, double computeMax,
      double computeMean, double aggregate, double samplesPerSecond, boolean validated) {
    double other() {
      return seconds - broadcast - computeMax - aggregate;
    }
  }

  /** Medians over a run's steady rounds. */
  record Medians(int rounds, double seconds, double broadcast, double computeMax, double computeMean,
      double aggregate, double other, double samplesPerSecond) {
    static Medians of(List<Round> rounds) {
      return new Medians(rounds.size(), med(rounds, Round::seconds), med(rounds, Round::broadcast),
          med(rounds, Round::computeMax), med(rounds, Round::computeMean), med(rounds, Round::aggregate),
          med(rounds, Round::other), med(rounds, Round::samplesPerSecond));
    }

    private static double med(List<Round> rounds, ToDoubleFunction<Round> f) {
      return RoundCostModel.median(rounds.stream().map(r -> f.applyAsDouble(r)).toList());
    }

    ObjectNode json() {
      ObjectNode o = JSON.createObjectNode();
      o.put("rounds", rounds);
      o.put("round_seconds", seconds);
      o.put("broadcast_seconds", broadcast);
      o.put("compute_seconds_max", computeMax);
      o.put("compute_seconds_mean", computeMean);
      o.put("aggregate_seconds", aggregate);
      o.put("other_seconds", other);
      o.put("samples_per_second", samplesPerSecond);
      return o;
    }
  }

  public static void main(String[] args) throws IOException {
    switch (args[0]) {
      case "report" -> report(Arrays.copyOfRange(args, 1, args.length));
      case "subset" -> subset(Path.of(args[1]), Integer.parseInt(args[2]), Arrays.copyOfRange(args, 3, args.length));
      default -> throw new IllegalArgumentException("unknown mode " + args[0] + " (report | subset)");
    }
  }

  /**
   * Prep directories holding the first rows of {@code prep}'s splits: {@code TRAIN_ROWS} of train,
   * {@code evalRows} of val and test, and its preprocessing.json with the counts made true. The
   * round-cost runs give every partition the same number of rows whatever the partition count (weak
   * scaling), so each run has the same full rounds; a prefix of the same standardized rows keeps
   * the numbers those rounds see the same as the whole data's.
   */
  static void subset(Path prep, int evalRows, String[] targets) throws IOException {
    SparkSession spark = SparkSessions.create("bench subset", false);
    try {
      for (String t : targets) {
        int eq = t.lastIndexOf('=');
        Path dir = Path.of(t.substring(0, eq));
        long trainRows = Long.parseLong(t.substring(eq + 1));
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("train", trainRows);
        counts.put("val", (long) evalRows);
        counts.put("test", (long) evalRows);
        for (Map.Entry<String, Long> c : counts.entrySet()) {
          Dataset<Row> rows = PrepData.open(spark, TestFiles.hadoop(prep), "prep").split(c.getKey()).limit((int) (long) c.getValue());
          long n = rows.count();
          if (n != c.getValue()) {
            throw new IllegalArgumentException(prep + " has " + n + " " + c.getKey() + " rows, fewer than the " + c.getValue() + " asked for");
          }
          rows.coalesce(1).write().mode("overwrite").parquet(dir.resolve(c.getKey()).toUri().toString());
        }
        ObjectNode pre = (ObjectNode) JSON.readTree(prep.resolve(PrepDirectory.PREPROCESSING).toFile());
        ObjectNode cs = pre.putObject("counts");
        counts.forEach(cs::put);
        Files.writeString(dir.resolve(PrepDirectory.PREPROCESSING), JSON.writeValueAsString(pre), StandardCharsets.UTF_8);
      }
    } finally {
      spark.stop();
    }
  }

  static void report(String[] args) throws IOException {
    List<Run> runs = readRuns(Path.of(args[0]));
    ObjectNode root = JSON.createObjectNode();
    root.put("benchmark", "cluster");
    ObjectNode machine = root.putObject("machine");
    for (String kv : Arrays.copyOfRange(args, 3, args.length)) {
      int eq = kv.indexOf('=');
      machine.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    Path load = Path.of(args[1]);
    if (Files.exists(load)) {
      for (String line : Files.readAllLines(load, StandardCharsets.UTF_8)) {
        String[] f = line.split("\t");
        machine.put(f[1] + "_" + f[0], f[2]);
      }
    }
    List<Run> a = runs.stream().filter(r -> r.part().equals("a")).toList();
    List<Run> b = runs.stream().filter(r -> r.part().equals("b")).toList();
    if (!a.isEmpty()) {
      root.set("a_local_vs_standalone", partA(a));
    }
    if (!b.isEmpty()) {
      root.set("b_round_cost", partB(b));
    }
    Path out = Path.of(args[2]);
    Files.writeString(out, JSON.writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
  }

  static List<Run> readRuns(Path tsv) throws IOException {
    List<Run> runs = new ArrayList<>();
    for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t");
      runs.add(new Run(f[0], f[1], f[2], Integer.parseInt(f[3]), f[4], Path.of(f[5]), Double.parseDouble(f[6])));
    }
    return runs;
  }

  static List<Round> readRounds(Path run) throws IOException {
    List<Round> rounds = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"), StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode m = JSON.readTree(line);
      rounds.add(new Round(m.get("round").asInt(), m.get("iteration").asLong(), m.get("examples_seen").asLong(),
          m.get("round_seconds").asDouble(), m.get("broadcast_seconds").asDouble(),
          m.get("compute_seconds_max").asDouble(), m.get("compute_seconds_mean").asDouble(),
          m.get("aggregate_seconds").asDouble(), m.get("samples_per_second").asDouble(),
          m.hasNonNull("val_loss")));
    }
    return rounds;
  }

  /**
   * The rounds that show the steady state: not the first (it builds each executor's network and
   * JIT-compiles), and, when {@code k > 0}, only full rounds of k minibatches with no epoch-end
   * validation in them (an epoch's last round is usually short, and round_seconds includes the
   * validation pass). With {@code k == 0} every later round counts.
   */
  static List<Round> steady(List<Round> rounds, int k) {
    List<Round> s = new ArrayList<>();
    long previous = 0;
    for (Round r : rounds) {
      long batches = r.iteration() - previous;
      previous = r.iteration();
      if (r.round() > 1 && (k == 0 || batches == k && !r.validated())) {
        s.add(r);
      }
    }
    return s;
  }

  // ---- (a) ----

  private static ObjectNode partA(List<Run> runs) throws IOException {
    ObjectNode a = JSON.createObjectNode();
    a.put("what", "default config (784-256-256-10, K auto), 2 partitions, Fashion-MNIST prep of scripts/bench/train; "
        + "local[2] vs a standalone cluster of 2 one-core workers (client mode), runs interleaved. Medians over "
        + "the rounds after the first; with K auto every round is one epoch, so other_seconds holds the epoch-end "
        + "validation pass (samples_per_second leaves it out).");
    ArrayNode list = a.putArray("runs");
    Map<String, List<Medians>> byMode = new LinkedHashMap<>();
    for (Run r : runs) {
      List<Round> rounds = readRounds(r.dir());
      Medians m = Medians.of(steady(rounds, 0));
      ObjectNode o = list.addObject();
      o.put("label", r.label());
      o.put("master", r.master());
      o.put("wall_seconds", r.wallSeconds());
      o.put("rounds", rounds.size());
      o.put("averaging_frequency", rounds.get(0).iteration());
      o.put("first_round_seconds", rounds.get(0).seconds());
      o.put("samples_per_second_overall", overall(rounds));
      o.set("steady_round_medians", m.json());
      JsonNode training = JSON.readTree(r.dir().resolve("training.json").toFile());
      o.put("test_accuracy", training.get("testAccuracy").asDouble());
      byMode.computeIfAbsent(r.cluster() ? "standalone_2x1" : "local[2]", x -> new ArrayList<>()).add(m);
    }
    ObjectNode summary = a.putObject("median_of_repeats");
    for (Map.Entry<String, List<Medians>> e : byMode.entrySet()) {
      List<Medians> ms = e.getValue();
      Medians m = new Medians(ms.stream().mapToInt(Medians::rounds).sum(), medOf(ms, Medians::seconds),
          medOf(ms, Medians::broadcast), medOf(ms, Medians::computeMax), medOf(ms, Medians::computeMean),
          medOf(ms, Medians::aggregate), medOf(ms, Medians::other), medOf(ms, Medians::samplesPerSecond));
      summary.set(e.getKey(), m.json());
    }
    if (summary.has("local[2]") && summary.has("standalone_2x1")) {
      a.put("standalone_over_local_samples_per_second",
          summary.get("standalone_2x1").get("samples_per_second").asDouble() / summary.get("local[2]").get("samples_per_second").asDouble());
    }
    return a;
  }

  private static double medOf(List<Medians> ms, ToDoubleFunction<Medians> f) {
    return RoundCostModel.median(ms.stream().map(m -> f.applyAsDouble(m)).toList());
  }

  /** Examples over the time of the rounds' training parts, as scripts/bench/train counts it. */
  private static double overall(List<Round> rounds) {
    double examples = 0;
    double seconds = 0;
    for (Round r : rounds) {
      double ex = r.examples() - examples;
      examples = r.examples();
      seconds += ex / r.samplesPerSecond();
    }
    return examples / seconds;
  }

  // ---- (b) ----

  /** One measured configuration of (b). */
  record Point(Run run, long params, long updaterState, int k, Medians medians) {}

  private static ObjectNode partB(List<Run> runs) throws IOException {
    ObjectNode b = JSON.createObjectNode();
    int batch = ConfigLoader.defaults().train().minibatchSize();
    List<Point> points = new ArrayList<>();
    ArrayNode list = b.putArray("points");
    for (Run r : runs) {
      MultiLayerNetwork net = network(r.hidden());
      List<Round> rounds = readRounds(r.dir());
      int k = (int) rounds.get(0).iteration();
      Medians m = Medians.of(steady(rounds, k));
      if (m.rounds() == 0) {
        throw new IllegalStateException(r.label() + ": no steady round (full K, not the first, no validation)");
      }
      Point p = new Point(r, net.numParams(), net.getUpdater().getStateViewArray().length(), k, m);
      points.add(p);
      ObjectNode o = list.addObject();
      o.put("label", r.label());
      o.put("mode", r.cluster() ? "standalone" : "local[2]");
      o.put("hidden", "[" + r.hidden() + "]");
      o.put("params", p.params());
      o.put("updater_state", p.updaterState());
      o.put("partitions", r.partitions());
      o.put("averaging_frequency", k);
      o.put("wall_seconds", r.wallSeconds());
      o.set("steady_round_medians", m.json());
    }
    List<Point> cluster = points.stream().filter(p -> p.run().cluster()).toList();
    List<Point> local = points.stream().filter(p -> !p.run().cluster()).toList();
    ObjectNode fits = b.putObject("fits");

    // Driver side of the broadcast: serializing params + updater state into torrent blocks.
    RoundCostModel.Fit bcast = RoundCostModel.fit("broadcast_seconds = a0 + a1*P", List.of("a0", "a1"),
        column(cluster, p -> p.params()), values(cluster, p -> p.medians().broadcast()));
    fits.set("broadcast_driver", json(bcast));

    // Compute per example per core, from local[2] (no network in the task); P in parameters.
    RoundCostModel.Fit compute = RoundCostModel.fit("compute_seconds_mean / (K*B) = e0 + e1*P", List.of("e0", "e1"),
        column(local, p -> p.params()), values(local, p -> p.medians().computeMean() / ((double) p.k() * batch)));
    fits.set("compute_per_example", json(compute));

    // What a standalone task spends beyond the same task in local[2]: fetching and deserializing
    // the broadcast (its timer starts before state.value()), at equal partitions (2).
    List<double[]> fetchRows = new ArrayList<>();
    for (Point l : local) {
      for (Point c : cluster) {
        if (c.run().partitions() == l.run().partitions() && c.run().hidden().equals(l.run().hidden())) {
          fetchRows.add(new double[] {c.params(), c.medians().computeMean() - l.medians().computeMean()});
        }
      }
    }
    RoundCostModel.Fit fetch = RoundCostModel.fit("compute_mean(standalone, n=2) - compute_mean(local[2], n=2) = f0 + f1*P",
        List.of("f0", "f1"), fetchRows.stream().map(r -> new double[] {r[0]}).toArray(double[][]::new),
        fetchRows.stream().mapToDouble(r -> r[1]).toArray());
    fits.set("broadcast_fetch_executor", json(fetch));

    double[] ps = cluster.stream().mapToDouble(Point::params).toArray();
    int[] ns = cluster.stream().mapToInt(p -> p.run().partitions()).toArray();
    double[] aggs = cluster.stream().mapToDouble(p -> p.medians().aggregate()).toArray();
    ObjectNode aggFits = fits.putObject("aggregate");
    for (RoundCostModel.Growth g : RoundCostModel.Growth.values()) {
      aggFits.set(g.name().toLowerCase(java.util.Locale.ROOT), json(RoundCostModel.fitAggregate(g, ps, ns, aggs)));
    }
    RoundCostModel.Growth best = RoundCostModel.bestGrowth(ps, ns, aggs);
    RoundCostModel.Fit agg = RoundCostModel.fitAggregate(best, ps, ns, aggs);
    fits.put("aggregate_chosen", best.name().toLowerCase(java.util.Locale.ROOT));
    // The tree Spark really builds decides the extrapolation; the chosen growth only says which
    // fit's per-parameter coefficient to trust (with n <= 4 all three coincide but for the binary tree).
    RoundCostModel.Fit treeAgg = RoundCostModel.fitAggregate(RoundCostModel.Growth.SPARK_TREE, ps, ns, aggs);

    long defaultParams = network("256,256").numParams();
    long defaultState = network("256,256").getUpdater().getStateViewArray().length();
    b.set("extrapolation", extrapolate(bcast, compute, fetch, treeAgg, batch, defaultParams, defaultState));
    b.put("measured_vs_extrapolated", "points and fits are measured on this 2-core machine over loopback (n executors "
        + "on 2 cores: above n = 2 they time-share the cores, so compute_seconds_max grows about n/2 and the "
        + "aggregate partly waits for CPU). extrapolation is arithmetic on the fits, not a measurement.");
    return b;
  }

  /**
   * Round time at {@link #FAR} executors for the default net and one 10x its size, with the
   * fitted loopback costs and with each link speed of {@link #LINKS} added for the bytes that
   * cross the network.
   */
  private static ObjectNode extrapolate(RoundCostModel.Fit bcast, RoundCostModel.Fit compute, RoundCostModel.Fit fetch,
      RoundCostModel.Fit agg, int batch, long defaultParams, long defaultState) {
    ObjectNode x = JSON.createObjectNode();
    List<Integer> levels = RoundCostModel.treeFanIns(FAR, 2);
    int pathPartials = RoundCostModel.treePathPartials(FAR);
    x.put("executors", FAR);
    x.put("tree", "treeReduce depth 2 at " + FAR + " partitions: level fan-ins " + levels
        + " (reducers pull and merge in parallel; the critical path pulls " + pathPartials + " partials)");
    x.put("assumptions", "one core per executor, as fast as one core here; K minibatches of " + batch
        + " per partition per round; data big enough that every partition has K minibatches per round "
        + "(Fashion-MNIST's 54k training rows give each of 100 partitions only 5); costs per byte as measured on "
        + "loopback (serialization, deserialization, merging) plus, per scenario, the wire time at the link speed, "
        + "not overlapped; torrent broadcast: each executor's fetch costs one copy of the payload at link speed "
        + "(peers serve pieces); the driver's upload is between 1 and " + FAR + " copies.");
    ArrayNode nets = x.putArray("nets");
    for (int scale : new int[] {1, 10}) {
      long p = defaultParams * scale;
      long s = defaultState * scale;
      ObjectNode o = nets.addObject();
      o.put("net", scale == 1 ? "default 784-256-256-10" : "10x the default's parameters (e.g. 784-1536-1024-10)");
      o.put("params", p);
      double broadcastBytes = 4.0 * (p + s); // float[] params + updater state
      // A task returns its floats; a tree level's partial holds the example-weighted sums in double.
      double resultBytes = 4.0 * (p + s);
      double partialBytes = 8.0 * (p + s);
      boolean tree = levels.size() > 1;
      double driverBytes = tree ? partialBytes : resultBytes;
      // Bytes pulled along the critical path: the first level's task results, then the partials.
      double pathBytes = levels.get(0) * resultBytes + (pathPartials - levels.get(0)) * partialBytes;
      o.put("broadcast_bytes", broadcastBytes);
      o.put("task_result_bytes", resultBytes);
      o.put("tree_partial_bytes", partialBytes);
      double perExample = compute.predict(p);
      o.put("compute_seconds_per_example", perExample);
      // K auto: the product's own choice, about targetRoundSeconds (2 s) of compute per round.
      int kAuto = (int) Math.max(1, Math.round(2.0 * 17_000 * 271_370 / (double) p / batch));
      o.put("k_auto", kAuto);
      ObjectNode driver = o.putObject("driver_per_round");
      driver.put("broadcast_upload_bytes_min", broadcastBytes);
      driver.put("broadcast_upload_bytes_max", broadcastBytes * FAR);
      driver.put("results_received_bytes", driverBytes * levels.get(levels.size() - 1));
      driver.put("results_received_note", levels.get(levels.size() - 1) + (tree ? " partials" : " task results") + " of "
          + (long) driverBytes + " bytes; counted against spark.driver.maxResultSize (1g default); merged as they arrive");
      ObjectNode shuffle = o.putObject("executors_per_round");
      shuffle.put("shuffle_bytes", resultBytes * FAR);
      shuffle.put("per_reducer_bytes_in", resultBytes * levels.get(0));
      ArrayNode scenarios = o.putArray("scenarios");
      String[] names = {"loopback costs (as measured)", "10 Gbit/s", "1 Gbit/s"};
      for (int i = 0; i < names.length; i++) {
        double link = i == 0 ? Double.POSITIVE_INFINITY : LINKS[i - 1];
        // A fitted line can cross zero inside the noise of a small term: a cost is never negative.
        double bc = Math.max(0, bcast.predict(p)) + Math.max(0, fetch.predict(p)) + broadcastBytes / link;
        double ag = Math.max(0, agg.predict(FAR, p * (double) pathPartials)) + pathBytes / link;
        double comm = bc + ag;
        ObjectNode sc = scenarios.addObject();
        sc.put("scenario", names[i]);
        sc.put("broadcast_seconds", bc);
        sc.put("aggregate_seconds", ag);
        sc.put("communication_seconds", comm);
        double computeAuto = kAuto * batch * perExample;
        sc.put("compute_seconds_at_k_auto", computeAuto);
        sc.put("round_seconds_at_k_auto", computeAuto + comm);
        sc.put("communication_fraction_at_k_auto", comm / (computeAuto + comm));
        // comm / (comm + K B c) <= 0.1  <=>  K >= 9 comm / (B c)
        sc.put("k_for_communication_under_10_percent", (long) Math.ceil(9 * comm / (batch * perExample)));
        sc.put("samples_per_second_at_k_auto", FAR * kAuto * batch / (computeAuto + comm));
      }
    }
    return x;
  }

  private static MultiLayerNetwork network(String hidden) {
    SitterConfig c = ConfigLoader.defaults(List.of("model.hiddenLayers=[" + hidden + "]"));
    return NetworkFactory.build(c.model(), c.train(), 784, 10, c.train().seed());
  }

  private static double[][] column(List<Point> ps, ToDoubleFunction<Point> f) {
    return ps.stream().map(p -> new double[] {f.applyAsDouble(p)}).toArray(double[][]::new);
  }

  private static double[] values(List<Point> ps, ToDoubleFunction<Point> f) {
    return ps.stream().mapToDouble(f).toArray();
  }

  private static ObjectNode json(RoundCostModel.Fit f) {
    ObjectNode o = JSON.createObjectNode();
    o.put("formula", f.formula());
    ObjectNode c = o.putObject("coefficients");
    for (int i = 0; i < f.names().size(); i++) {
      c.put(f.names().get(i), f.coefficients()[i]);
    }
    o.put("r_squared", f.rSquared());
    o.put("observations", f.observations());
    return o;
  }
}
