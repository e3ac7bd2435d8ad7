package io.sitter.bench.alternatives;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitter.config.ConfigLoader;
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
 * with P partitions in the session's master (the script runs local[2]). Test accuracy is measured
 * by a {@link RoundListener} after each epoch's last round. The training clock is the sum over
 * rounds of {@code examples / samples_per_second} from metrics.jsonl, i.e. each round's broadcast,
 * fit and merge, without sitter's epoch-end validation, checkpoint writes or this listener's test
 * evaluation. The final BatchNorm re-estimation is reported separately.
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
    List<String> sets = new ArrayList<>(List.of("train.epochs=" + epochs, "train.averagingFrequency=" + k));
    List<String> extra = List.of(args).subList(5, args.length);
    sets.addAll(extra);
    SitterConfig config = ConfigLoader.load(List.of(), sets);
    SparkSession spark = Contestants.session("sitter", false);
    EpochEndAccuracy listener = new EpochEndAccuracy(new TestAccuracy(PreparedExamples.read(spark, prep, "test")));
    TrainResult r = TrainJob.run(spark, new TrainRequest(prep, run, config, partitions,
        TrainRequest.OutputMode.OVERWRITE, List.of(listener), Map.of("sitter", "bench alternatives"),
        new PrintWriter(System.err, true)));

    Map<Integer, double[]> clockAtRound = new HashMap<>(); // round -> {examples seen, training seconds}
    double examples = 0;
    double seconds = 0;
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
      JsonNode m = Contestants.JSON.readTree(line);
      double seen = m.get("examples_seen").asDouble();
      seconds += (seen - examples) / m.get("samples_per_second").asDouble();
      examples = seen;
      clockAtRound.put(m.get("round").asInt(), new double[] {seen, seconds});
    }
    AccuracyTimeline timeline = new AccuracyTimeline();
    for (int i = 0; i < listener.epochEnds.size(); i++) {
      int[] point = listener.epochEnds.get(i);
      double[] c = clockAtRound.get(point[1]);
      timeline.record(point[0], (long) c[0], c[1], listener.accuracies.get(i));
    }
    String variant = (k == 0 ? "K=auto" : "K=" + k) + (extra.isEmpty() ? "" : "," + String.join(",", extra));
    ObjectNode o = Contestants.result("sitter", variant, prep);
    o.put("master", spark.sparkContext().master());
    o.put("partitions", partitions);
    o.put("epochs", epochs);
    o.put("averaging_frequency", r.averagingFrequency());
    o.put("rounds", r.rounds());
    o.put("javacpp_max_physical_bytes", Pointer.maxPhysicalBytes());
    o.put("sitter_max_physical_bytes", NativeMemoryLimit.maxBytes());
    o.put("clock", "sum of rounds' examples/samples_per_second from metrics.jsonl (broadcast+fit+merge); validation, checkpoints, test evaluation excluded");
    timeline.writeTo(o, Contestants.JSON);
    o.put("test_accuracy_after_batchnorm_reestimate", r.testAccuracy());
    o.put("batchnorm_reestimate_seconds", listener.reestimateSeconds);
    o.put("wall_seconds", r.seconds());
    Contestants.print(o);
    spark.stop();
  }

  /** Test accuracy of the merged network at each epoch's end (on the driver, off sitter's training clock). */
  static final class EpochEndAccuracy implements RoundListener {
    private final TestAccuracy test;
    final List<int[]> epochEnds = new ArrayList<>(); // {epoch, round}
    final List<Double> accuracies = new ArrayList<>();
    private long lastRoundEnd;
    double reestimateSeconds = Double.NaN;

    EpochEndAccuracy(TestAccuracy test) {
      this.test = test;
    }

    @Override
    public void afterRound(TrainingView view, RoundMetrics.Builder metrics) {
      if (view.round() % view.roundsPerEpoch() == 0) {
        double a = test.of(view.network());
        epochEnds.add(new int[] {view.epoch(), view.round()});
        accuracies.add(a);
        System.err.printf("sitter: epoch %d test accuracy %.4f%n", view.epoch(), a);
      }
      lastRoundEnd = System.nanoTime();
    }

    /** Called right after the re-estimation; the gap also holds the last checkpoint write and validation, so it is an upper bound. */
    @Override
    public void afterTraining(TrainingView view) {
      reestimateSeconds = (System.nanoTime() - lastRoundEnd) / 1e9;
    }
  }
}
