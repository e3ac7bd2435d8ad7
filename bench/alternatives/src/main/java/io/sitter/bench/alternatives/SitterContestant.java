package io.sitter.bench.alternatives;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.sitter.babysit.BabysitListener;
import io.sitter.babysit.Babysitters;
import io.sitter.config.SitterConfig;
import io.sitter.metrics.RoundMetrics;
import io.sitter.model.NativeMemoryLimit;
import io.sitter.train.RoundListener;
import io.sitter.train.TrainJob;
import io.sitter.train.TrainRequest;
import io.sitter.train.TrainResult;
import io.sitter.train.TrainingView;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.bytedeco.javacpp.Pointer;

/**
 * sitter's distributed trainer ({@link TrainJob}, the product's own API) on the prep directory,
 * with P partitions in the session's master (the script runs local[2]), as {@code sitter train}
 * runs it: with {@code -Dbench.babysit=on} the babysitter's preflight first and its monitor every
 * round (the listener {@code sitter train} attaches), {@code monitor} the monitor only
 * ({@code --no-checks}), {@code off} (default) no listener. Test accuracy is measured by a
 * {@link RoundListener} after each epoch's last round.
 *
 * <p>The training clock is wall time from the start of training (shards cached, the data in
 * memory) to each epoch end, less this listener's test evaluations and less sitter's own epoch-end
 * validation (each round's {@code round_seconds} minus {@code examples / samples_per_second} in
 * metrics.jsonl): every contestant's clock leaves validation out. It includes everything else
 * sitter does per round: broadcast, fit, merge, the babysitter's monitor when on, checkpoint
 * writes. The preflight (before training), the final BatchNorm re-estimation and the monitor's
 * own time are reported separately. {@code rounds_clock_seconds} is the older clock (the rounds'
 * broadcast, fit and merge only) for comparison with earlier files.
 *
 * <pre>SitterContestant PREP_DIR RUN_DIR PARTITIONS EPOCHS K [key=value ...]   (K = train.averagingFrequency; 0 = auto)</pre>
 *
 * The optional {@code key=value} settings (sitter's {@code --set}) are applied after K and named in
 * the variant, so scripts/bench/levers can compare configurations of one build side by side.
 */
public final class SitterContestant {
  private SitterContestant() {}

  public static void main(String[] args) throws Exception {
    Path prep = Path.of(args[0]);
    Path run = Path.of(args[1]);
    int partitions = Contestants.intArg(args, 2, "PARTITIONS");
    int epochs = Contestants.intArg(args, 3, "EPOCHS");
    int k = Contestants.intArg(args, 4, "K");
    String babysit = System.getProperty("bench.babysit", "off");
    if (!List.of("on", "monitor", "off").contains(babysit)) {
      throw new IllegalArgumentException("bench.babysit must be on, monitor or off, got " + babysit);
    }
    List<String> sets = new ArrayList<>(List.of("train.epochs=" + epochs, "train.averagingFrequency=" + k));
    List<String> extra = List.of(args).subList(5, args.length);
    sets.addAll(extra);
    SitterConfig config = Contestants.config(sets);
    SparkSession spark = Contestants.session("sitter", false);
    PrintWriter console = new PrintWriter(System.err, true);
    List<RoundListener> listeners = new ArrayList<>();
    EpochEndAccuracy accuracy = new EpochEndAccuracy(new TestAccuracy(PreparedExamples.read(spark, prep, "test")));
    listeners.add(accuracy.start); // first: the clock starts before any other listener's beforeTraining
    TimedListener monitor = null;
    double preflightSeconds = 0;
    if (!babysit.equals("off")) {
      long t = System.nanoTime();
      BabysitListener b = Babysitters.forNewRun(spark, config, Contestants.hadoop(prep), babysit.equals("monitor"), console);
      preflightSeconds = (System.nanoTime() - t) / 1e9;
      monitor = new TimedListener(b);
      listeners.add(monitor);
    }
    listeners.add(accuracy); // last: an epoch's clock includes the other listeners' work of its last round
    TrainResult r = TrainJob.run(spark, new TrainRequest(Contestants.hadoop(prep), Contestants.hadoop(run), config, partitions,
        TrainRequest.OutputMode.OVERWRITE, listeners, Map.of("sitter", "bench alternatives"), console));

    Map<Integer, double[]> clockAtRound = new HashMap<>(); // round -> {examples seen, rounds clock, validation so far}
    double examples = 0;
    double seconds = 0;
    double validation = 0;
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
      JsonNode m = Contestants.JSON.readTree(line);
      double seen = m.get("examples_seen").asDouble();
      double fit = (seen - examples) / m.get("samples_per_second").asDouble();
      seconds += fit;
      validation += Math.max(0, m.get("round_seconds").asDouble() - fit);
      examples = seen;
      clockAtRound.put(m.get("round").asInt(), new double[] {seen, seconds, validation});
    }
    AccuracyTimeline timeline = new AccuracyTimeline();
    ArrayNode roundsClock = Contestants.JSON.createArrayNode();
    for (int i = 0; i < accuracy.epochEnds.size(); i++) {
      int[] point = accuracy.epochEnds.get(i);
      double[] c = clockAtRound.get(point[1]);
      timeline.record(point[0], (long) c[0], accuracy.wallSeconds.get(i) - c[2], accuracy.accuracies.get(i));
      roundsClock.add(c[1]);
    }
    String variant = (k == 0 ? "K=auto" : "K=" + k) + (babysit.equals("off") ? "" : ",babysit=" + babysit)
        + (extra.isEmpty() ? "" : "," + String.join(",", extra));
    ObjectNode o = Contestants.result("sitter", variant, prep);
    o.put("master", spark.sparkContext().master());
    o.put("partitions", partitions);
    o.put("cores", partitions);
    o.put("epochs", epochs);
    o.put("babysit", babysit);
    o.put("averaging_frequency", r.averagingFrequency());
    o.put("rounds", r.rounds());
    o.put("javacpp_max_physical_bytes", Pointer.maxPhysicalBytes());
    o.put("sitter_max_physical_bytes", NativeMemoryLimit.maxBytes());
    o.put("clock", "wall time from the start of training to each epoch end, less test evaluation and sitter's epoch-end validation;"
        + " includes broadcast, fit, merge, babysitter monitor (when on), checkpoint writes");
    timeline.writeTo(o, Contestants.JSON);
    o.set("rounds_clock_seconds", roundsClock);
    o.put("validation_seconds", validation);
    o.put("preflight_seconds", preflightSeconds);
    o.put("monitor_seconds", monitor == null ? 0 : monitor.seconds());
    o.put("test_accuracy_after_batchnorm_reestimate", r.testAccuracy());
    o.put("batchnorm_reestimate_seconds", accuracy.reestimateSeconds);
    o.put("train_job_wall_seconds", r.seconds());
    o.put("nd4j_binary", Contestants.nd4jBinary());
    Contestants.print(o);
    spark.stop();
  }

  /** Times another listener's calls: the babysitter's per-round cost, measured directly. */
  static final class TimedListener implements RoundListener {
    private final RoundListener inner;
    private long nanos;

    TimedListener(RoundListener inner) {
      this.inner = inner;
    }

    @Override
    public void beforeTraining(TrainingView view) {
      long t = System.nanoTime();
      inner.beforeTraining(view);
      nanos += System.nanoTime() - t;
    }

    @Override
    public void afterRound(TrainingView view, RoundMetrics.Builder metrics) {
      long t = System.nanoTime();
      try {
        inner.afterRound(view, metrics);
      } finally {
        nanos += System.nanoTime() - t;
      }
    }

    @Override
    public void afterTraining(TrainingView view) {
      long t = System.nanoTime();
      inner.afterTraining(view);
      nanos += System.nanoTime() - t;
    }

    double seconds() {
      return nanos / 1e9;
    }
  }

  /**
   * Test accuracy of the merged network at each epoch's end (on the driver, off the clock), and the
   * wall clock at that point less the evaluations so far. {@link #start} is registered as the
   * first listener and starts the clock.
   */
  static final class EpochEndAccuracy implements RoundListener {
    private final TestAccuracy test;
    final List<int[]> epochEnds = new ArrayList<>(); // {epoch, round}
    final List<Double> accuracies = new ArrayList<>();
    final List<Double> wallSeconds = new ArrayList<>();
    private long started;
    private long evaluating;
    private long lastRoundEnd;
    double reestimateSeconds = Double.NaN;
    final RoundListener start = new RoundListener() {
      @Override
      public void beforeTraining(TrainingView view) {
        started = System.nanoTime();
      }

      @Override
      public void afterRound(TrainingView view, RoundMetrics.Builder metrics) {}
    };

    EpochEndAccuracy(TestAccuracy test) {
      this.test = test;
    }

    @Override
    public void afterRound(TrainingView view, RoundMetrics.Builder metrics) {
      long t = System.nanoTime();
      if (view.round() % view.roundsPerEpoch() == 0) {
        wallSeconds.add((t - started - evaluating) / 1e9);
        double a = test.of(view.network());
        epochEnds.add(new int[] {view.epoch(), view.round()});
        accuracies.add(a);
        System.err.printf("sitter: epoch %d test accuracy %.4f%n", view.epoch(), a);
      }
      lastRoundEnd = System.nanoTime();
      evaluating += lastRoundEnd - t;
    }

    /** Called right after the re-estimation; the gap also holds the last checkpoint write and validation, so it is an upper bound. */
    @Override
    public void afterTraining(TrainingView view) {
      reestimateSeconds = (System.nanoTime() - lastRoundEnd) / 1e9;
    }
  }
}
