package io.sitter.search;

import io.sitter.metrics.TrialRecord;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitter.cli.SparkSessions;
import io.sitter.config.ConfigLoader;
import io.sitter.config.SitterConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The search benchmark behind scripts/bench/search (not a test): on one prep directory, the staged
 * search (coarse trials of 2 epochs, fine trials of 5 around the best, exploding and hopeless trials
 * stopped) against plain random search with the same number of trials, each run to 5 epochs with no
 * early stopping. Prints one JSON object: best validation accuracy and seconds of each.
 *
 * <pre>
 *   SearchBench PREP_DIR SPACE_FILE OUT_DIR COARSE_TRIALS FINE_TRIALS
 * </pre>
 */
public final class SearchBench {
  private SearchBench() {}

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    SearchSpace space = SearchSpace.read(io.sitter.storage.Storage.local(), io.sitter.storage.Storage.local().resolve("space", args[1]));
    Path out = Path.of(args[2]);
    int coarse = Integer.parseInt(args[3]);
    int fine = Integer.parseInt(args[4]);
    SparkSession spark = SparkSession.builder().config(SparkSessions.sitterConf(new SparkConf(), false).setAppName("bench search")).getOrCreate();
    PrintWriter quiet = new PrintWriter(System.err, true);

    SitterConfig base = ConfigLoader.defaults();
    long t0 = System.nanoTime();
    SearchJob.SearchResult staged = SearchJob.run(spark, new SearchRequest(io.sitter.TestFiles.hadoop(data), space, base,
        List.of(new SearchStage("coarse", coarse, 2), new SearchStage("fine", fine, 5)), SearchMode.TRIALS, 3, 1.5, 0.5, 42,
        io.sitter.TestFiles.hadoop(out.resolve("staged"))), quiet);
    double stagedSeconds = (System.nanoTime() - t0) / 1e9;

    // Plain random search: the same number of trials from the whole space, every one to the end.
    SitterConfig noAbort = ConfigLoader.override(base, List.of("babysit.abortLossFactor=1000000"));
    long t1 = System.nanoTime();
    SearchJob.SearchResult plain = SearchJob.run(spark, new SearchRequest(io.sitter.TestFiles.hadoop(data), space, noAbort,
        List.of(new SearchStage("coarse", coarse + fine, 5)), SearchMode.TRIALS, 3, 1e12, 0.5, 42, io.sitter.TestFiles.hadoop(out.resolve("plain"))), quiet);
    double plainSeconds = (System.nanoTime() - t1) / 1e9;

    ObjectMapper json = new ObjectMapper();
    ObjectNode o = json.createObjectNode();
    o.put("trials", coarse + fine);
    o.put("staged_best_val_accuracy", staged.best().map(TrialRecord::valAccuracy).orElse(Double.NaN));
    o.put("staged_seconds", stagedSeconds);
    o.put("staged_stopped_early", staged.trials().stream().filter(TrialRecord::aborted).count());
    o.put("plain_best_val_accuracy", plain.best().map(TrialRecord::valAccuracy).orElse(Double.NaN));
    o.put("plain_seconds", plainSeconds);
    o.put("time_ratio", stagedSeconds / plainSeconds);
    System.out.println(json.writeValueAsString(o));
    spark.stop();
  }
}
