package io.sitter.search;

import io.sitter.metrics.TrialRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitter.config.BadInputException;
import io.sitter.config.ConfigLoader;
import io.sitter.config.SitterConfig;
import io.sitter.storage.JsonLinesTable;
import io.sitter.storage.RunDirectory;
import io.sitter.storage.Storage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;

/**
 * Random search, coarse then fine (CS231n): the coarse stage samples the whole space with short
 * runs; each fine stage samples a space narrowed around the best trials of the stage before, with
 * longer runs. A trial stops early when its loss explodes ({@link LocalTrial}) or, by successive
 * halving, when after its first epoch its validation loss is far worse than the best of its stage.
 *
 * <p>Every trial's values and seed are a function of (search seed, stage, trial number), and every
 * finished trial is appended to {@code trials.jsonl} at once, so a crashed search started again with
 * the same arguments skips the trials already finished and repeats the rest exactly.
 */
public final class SearchJob {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SearchJob() {}

  /** The search's outcome: every trial, and the best completed one. */
  public record SearchResult(List<TrialRecord> trials, Optional<TrialRecord> best, SearchMode mode) {}

  public static SearchResult run(SparkSession spark, SearchRequest r, PrintWriter out) {
    ObjectNode identity = identity(r);
    RunDirectory dir = RunDirectory.at(Storage.of(spark.sparkContext().hadoopConfiguration()), r.out());
    prepareOutput(dir, identity);
    SearchMode mode = r.mode();
    if (mode == SearchMode.AUTO) {
      long bytes = TrialsModeRunner.bytes(spark, r.data());
      mode = SearchMode.forSize(bytes);
      out.printf("search: mode %s (train+val %.1f MB; trials mode up to %d MB, one copy per executor)%n",
          mode.key(), bytes / 1e6, SearchMode.TRIALS_MODE_MAX_BYTES >> 20);
    }
    JsonLinesTable table = dir.reopenTrials();
    Map<String, TrialRecord> done = new HashMap<>();
    for (ObjectNode row : table.rows()) {
      TrialRecord t = TrialRecord.fromJson(row);
      done.put(key(t.stage(), t.trial()), t);
    }
    if (!done.isEmpty()) {
      out.printf("search: resuming, %d trial(s) already finished in %s%n", done.size(), r.out());
    }
    List<TrialRecord> all = new ArrayList<>();
    try {
    String baseJson = ConfigLoader.toTree(r.base()).toString();
    try (TrialRunner runner = mode == SearchMode.TRIALS
        ? TrialsModeRunner.open(spark, TrialsModeRunner.load(spark, r.data()))
        : new DataModeRunner(spark, r.data(), r.out())) {
      SearchSpace space = r.space();
      List<TrialRecord> previous = List.of();
      for (int s = 0; s < r.stages().size(); s++) {
        SearchStage stage = r.stages().get(s);
        if (s > 0) {
          List<Map<String, JsonNode>> best = ranked(previous).stream().limit(r.top()).map(TrialRecord::values).toList();
          if (best.isEmpty()) {
            throw new IllegalStateException("no trial of stage " + r.stages().get(s - 1).name()
                + " completed, so there is nothing to narrow around: widen or lower the ranges (see trials.jsonl for why each stopped)");
          }
          space = space.narrow(best, r.shrink());
          out.printf("search: stage %s samples%n%s", stage.name(), indent(space.toString()));
        }
        previous = runStage(s, stage, space, baseJson, r, runner, done, table, out);
        all.addAll(previous);
      }
    }
    } finally {
      table.close(); // trials.jsonl and trials.csv whole: also after a failed trial, so a rerun resumes from them
    }
    Optional<TrialRecord> best = ranked(all).stream().findFirst();
    best.ifPresent(b -> {
      SitterConfig config = ConfigLoader.override(r.base(), SearchSpace.overrides(b.values()));
      dir.writeBest("# best trial: " + b.stage() + " #" + b.trial()
          + String.format(", validation accuracy %.4f, loss %.4f%n", b.valAccuracy(), b.valLoss()) + ConfigLoader.toYaml(config));
      out.printf("search: best %s trial #%d, validation accuracy %.4f with %s; config in %s%n", b.stage(), b.trial(),
          b.valAccuracy(), b.values(), dir.file(RunDirectory.BEST));
    });
    long aborted = all.stream().filter(TrialRecord::aborted).count();
    out.printf("search: %d trial(s), %d stopped early%n", all.size(), aborted);
    return new SearchResult(List.copyOf(all), best, mode);
  }

  private static List<TrialRecord> runStage(int s, SearchStage stage, SearchSpace space, String baseJson, SearchRequest r,
      TrialRunner runner, Map<String, TrialRecord> done, JsonLinesTable table, PrintWriter out) {
    List<TrialRecord> records = new ArrayList<>();
    List<TrialSpec> todo = new ArrayList<>();
    Map<Integer, Map<String, JsonNode>> values = new HashMap<>();
    for (int i = 0; i < stage.trials(); i++) {
      SplittableRandom random = new SplittableRandom(r.seed() * 1_000_003L + s * 100_003L + i);
      Map<String, JsonNode> v = space.sample(random);
      long trialSeed = random.nextLong();
      TrialRecord finished = done.get(key(stage.name(), i));
      if (finished != null) {
        records.add(finished);
        continue;
      }
      values.put(i, v);
      todo.add(new TrialSpec(i, stage.name(), SearchSpace.overrides(v), baseJson, 0, stage.epochs(), trialSeed, null));
    }
    out.printf("search: stage %s, %d trial(s) of %d epoch(s)%s%n", stage.name(), todo.size(), stage.epochs(),
        records.isEmpty() ? "" : " (" + records.size() + " already finished)");
    double bestFirst = records.stream().mapToDouble(TrialRecord::valLossEpoch1).filter(Double::isFinite)
        .min().orElse(Double.POSITIVE_INFINITY);
    runner.runStage(todo, r.haltFactor(), bestFirst,
        f -> records.add(record(stage, values.get(f.outcome().trial()), f.outcome(), f.valLossEpoch1(), f.stopReason(), table, out)));
    records.sort(Comparator.comparingInt(TrialRecord::trial));
    return records;
  }

  private static TrialRecord record(SearchStage stage, Map<String, JsonNode> values, TrialOutcome o, double valLossEpoch1,
      String reason, JsonLinesTable table, PrintWriter out) {
    boolean aborted = reason != null;
    TrialRecord t = new TrialRecord(o.trial(), stage.name(), values, aborted, reason, o.epochsDone(), o.initialLoss(),
        valLossEpoch1, o.trainLoss(), o.trainAccuracy(), o.valLoss(), o.valAccuracy(), o.seconds());
    table.append(t.toJson());
    out.printf("  %s #%d %s: %s%n", stage.name(), o.trial(), t.values(),
        aborted ? "stopped, " + reason : String.format("validation accuracy %.4f, loss %.4f", o.valAccuracy(), o.valLoss()));
    out.flush();
    return t;
  }

  /** Completed trials, best first: highest validation accuracy, then lowest validation loss. */
  static List<TrialRecord> ranked(List<TrialRecord> trials) {
    return trials.stream()
        .filter(t -> !t.aborted() && Double.isFinite(t.valAccuracy()))
        .sorted(Comparator.comparingDouble(TrialRecord::valAccuracy).reversed().thenComparingDouble(TrialRecord::valLoss))
        .toList();
  }

  /** What makes two searches the same one: a resumed search must match the one it continues. */
  private static ObjectNode identity(SearchRequest r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("schemaVersion", 1);
    o.put("data", r.data().toString());
    o.put("space", r.space().toString());
    o.put("seed", r.seed());
    o.put("stages", r.stages().toString());
    o.put("top", r.top());
    o.put("haltFactor", r.haltFactor());
    o.put("shrink", r.shrink());
    o.set("config", ConfigLoader.toTree(r.base()));
    return o;
  }

  private static void prepareOutput(RunDirectory out, ObjectNode identity) {
    try {
      Optional<JsonNode> existing = out.searchIdentity();
      if (existing.isPresent()) {
        // Compared as read back from text: Jackson reads 11 as an int where the tree held a long.
        if (!existing.get().equals(JSON.readTree(JSON.writeValueAsString(identity)))) {
          throw new BadInputException(out.path() + " holds a different search (data, space, seed, stages or config differ): "
              + "give another --out, or --overwrite to start over");
        }
        return;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!out.names().isEmpty()) {
      throw new BadInputException(out.path() + " exists and is not a search directory: give another --out, or --overwrite");
    }
    out.writeSearchIdentity(identity);
  }

  private static String key(String stage, int trial) {
    return stage + "#" + trial;
  }

  private static String indent(String s) {
    return s.lines().map(l -> "  " + l + "\n").reduce("", String::concat);
  }
}
