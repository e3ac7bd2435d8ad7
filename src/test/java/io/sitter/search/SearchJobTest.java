package io.sitter.search;

import io.sitter.metrics.TrialRecord;
import io.sitter.TestFiles;
import io.sitter.storage.Storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitter.TestSpark;
import io.sitter.config.BadInputException;
import io.sitter.config.ConfigLoader;
import io.sitter.config.SitterConfig;
import io.sitter.data.InputFormat;
import io.sitter.data.InputSpec;
import io.sitter.storage.JsonLinesTable;
import io.sitter.prep.NormalizationMode;
import io.sitter.prep.PrepJob;
import io.sitter.prep.PrepOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchJobTest {
  @TempDir static Path shared;
  static SparkSession spark;
  static Path data;

  /** Four Gaussian blobs in 6-D through the real prep job: learnable, but not by a frozen net. */
  @BeforeAll
  static void prepareData() throws Exception {
    spark = TestSpark.session();
    Random r = new Random(17);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 800; i++) {
      int label = i % 4;
      StringBuilder sb = new StringBuilder();
      for (int j = 0; j < 6; j++) {
        sb.append(2.0 * (j == label ? 1 : 0) - (j == label + 2 ? 1.5 : 0) + r.nextGaussian()).append(',');
      }
      lines.add(sb.append(label).toString());
    }
    Path csv = shared.resolve("blobs.csv");
    Files.write(csv, lines);
    data = shared.resolve("prep");
    PrepJob.run(spark, new PrepOptions(new InputSpec(TestFiles.hadoop(csv), null, InputFormat.CSV, "last"), List.of(0.7, 0.3, 0.0), 1, true,
        NormalizationMode.STANDARDIZE, 1.0, TestFiles.hadoop(data), false));
  }

  private static SearchSpace space(Path dir, String yaml) throws Exception {
    Path f = dir.resolve("space.yaml");
    Files.writeString(f, yaml);
    return SearchSpace.read(Storage.local(), TestFiles.hadoop(f));
  }

  private static SitterConfig base(String... sets) {
    List<String> all = new ArrayList<>(List.of("model.hiddenLayers=[16]", "train.minibatchSize=32", "train.updater=sgd"));
    all.addAll(List.of(sets));
    return ConfigLoader.defaults(all);
  }

  private static List<TrialRecord> records(Path out) {
    return JsonLinesTable.read(Storage.local().files(), TestFiles.hadoop(out), "trials").stream().map(TrialRecord::fromJson).toList();
  }

  @Test
  void findsALearningRateFarBetterThanABadOneAndNarrowsAroundTheBest(@TempDir Path dir) throws Exception {
    SearchSpace space = space(dir, "train.learningRate: loguniform(1e-6, 1)\n");
    Path out = dir.resolve("search");
    SearchRequest request = new SearchRequest(TestFiles.hadoop(data), space, base(),
        List.of(new SearchStage("coarse", 8, 2), new SearchStage("fine", 4, 3)), SearchMode.TRIALS, 3, 1.5, 0.5, 7, TestFiles.hadoop(out));
    SearchJob.SearchResult result = SearchJob.run(spark, request, new PrintWriter(new StringWriter()));

    List<TrialRecord> rows = records(out);
    assertEquals(12, rows.size());
    assertEquals(8, rows.stream().filter(t -> t.stage().equals("coarse")).count());
    TrialRecord best = result.best().orElseThrow();
    assertTrue(best.valAccuracy() > 0.85, "best validation accuracy " + best.valAccuracy());

    // A deliberately bad rate, trained independently for as long, stays far behind.
    TrialData copy = TrialsModeRunner.load(spark, TestFiles.hadoop(data));
    TrialOutcome bad = LocalTrial.run(new TrialSpec(99, "check", List.of("train.learningRate=1e-6"),
        ConfigLoader.toTree(base()).toString(), 0, 3, 5, null), copy);
    assertTrue(best.valAccuracy() - bad.valAccuracy() > 0.3, "best " + best.valAccuracy() + " vs bad " + bad.valAccuracy());

    // Fine trials sample the coarse space narrowed around the best three completed coarse trials.
    List<TrialRecord> coarse = SearchJob.ranked(rows.stream().filter(t -> t.stage().equals("coarse")).toList());
    Distribution.LogUniform fine = (Distribution.LogUniform) space.narrow(
        coarse.stream().limit(3).map(TrialRecord::values).toList(), 0.5).keys().get("train.learningRate");
    double bestCoarse = coarse.get(0).values().get("train.learningRate").asDouble();
    assertTrue(fine.lo() <= bestCoarse && bestCoarse <= fine.hi());
    assertTrue(fine.hi() / fine.lo() < 1e6, "narrower than the coarse range");
    for (TrialRecord t : rows) {
      if (t.stage().equals("fine")) {
        double lr = t.values().get("train.learningRate").asDouble();
        assertTrue(lr >= fine.lo() && lr <= fine.hi(), lr + " outside " + fine);
      }
    }

    // best.yaml is a config for sitter train --config, with the best trial's rate.
    SitterConfig fromBest = ConfigLoader.load(Storage.local(), List.of(TestFiles.hadoop(out.resolve("best.yaml"))), List.of());
    assertEquals(best.values().get("train.learningRate").asDouble(), fromBest.train().learningRate(), 1e-15);
    assertTrue(Files.readString(out.resolve("trials.csv")).startsWith("trial,stage,values.train.learningRate,status"));
  }

  @Test
  void explodedAndHaltedTrialsAreMarkedWithTheRightReason(@TempDir Path dir) throws Exception {
    SearchSpace space = space(dir, "train.learningRate: loguniform(1e-4, 10)\n");
    Path out = dir.resolve("search");
    SearchRequest request = new SearchRequest(TestFiles.hadoop(data), space,
        base("model.batchNorm=false", "model.hiddenLayers=[64, 64]"),
        List.of(new SearchStage("coarse", 12, 3)), SearchMode.TRIALS, 3, 1.5, 0.5, 3, TestFiles.hadoop(out));
    SearchJob.run(spark, request, new PrintWriter(new StringWriter()));
    List<TrialRecord> rows = records(out);
    assertEquals(12, rows.size());
    List<TrialRecord> exploded = rows.stream().filter(t -> t.aborted() && t.reason().startsWith("exploded")).toList();
    List<TrialRecord> halted = rows.stream().filter(t -> t.aborted() && t.reason().startsWith("halted")).toList();
    assertFalse(exploded.isEmpty(), "an SGD rate near 10 without BatchNorm explodes");
    for (TrialRecord t : exploded) {
      assertTrue(t.values().get("train.learningRate").asDouble() > 0.1, "exploded at a small rate: " + t);
    }
    double bestFirst = rows.stream().filter(t -> !(t.aborted() && t.reason().startsWith("exploded")))
        .mapToDouble(TrialRecord::valLossEpoch1).filter(Double::isFinite).min().orElseThrow();
    for (TrialRecord t : rows) {
      boolean shouldHalt = !(t.aborted() && t.reason().startsWith("exploded")) && t.valLossEpoch1() > 1.5 * bestFirst;
      assertEquals(shouldHalt, halted.contains(t), "halting of " + t);
      if (!t.aborted()) {
        assertEquals(3, t.epochs());
      }
    }
  }

  @Test
  void aRestartedSearchSkipsFinishedTrialsAndRepeatsTheRest(@TempDir Path dir) throws Exception {
    SearchSpace space = space(dir, "train.learningRate: loguniform(1e-3, 0.5)\nmodel.activation: choice([relu, tanh])\n");
    Path out = dir.resolve("search");
    SearchRequest request = new SearchRequest(TestFiles.hadoop(data), space, base(), List.of(new SearchStage("coarse", 6, 1)),
        SearchMode.TRIALS, 3, 1.5, 0.5, 11, TestFiles.hadoop(out));
    SearchJob.run(spark, request, new PrintWriter(new StringWriter()));
    List<ObjectNode> full = JsonLinesTable.read(Storage.local().files(), TestFiles.hadoop(out), "trials");
    // A crash after four trials: the last two lines never made it, the fourth is cut short.
    List<String> lines = Files.readAllLines(out.resolve("trials.jsonl"));
    Files.write(out.resolve("trials.jsonl"), List.of(lines.get(0), lines.get(1), lines.get(2), lines.get(3).substring(0, 20)));

    StringWriter log = new StringWriter();
    SearchJob.run(spark, request, new PrintWriter(log));
    assertTrue(log.toString().contains("resuming, 3 trial(s) already finished"), log.toString());
    assertEquals(3, log.toString().lines().filter(l -> l.startsWith("  coarse #")).count(), log.toString());
    List<TrialRecord> again = records(out);
    List<TrialRecord> before = full.stream().map(TrialRecord::fromJson).toList();
    Comparator<TrialRecord> byTrial = Comparator.comparingInt(TrialRecord::trial);
    List<TrialRecord> a = again.stream().sorted(byTrial).toList();
    List<TrialRecord> b = before.stream().sorted(byTrial).toList();
    assertEquals(6, a.size());
    for (int i = 0; i < 6; i++) {
      assertEquals(b.get(i).values(), a.get(i).values());
      assertEquals(b.get(i).valAccuracy(), a.get(i).valAccuracy(), "trial " + i + " repeats exactly");
    }

    SearchRequest other = new SearchRequest(TestFiles.hadoop(data), space, base(), List.of(new SearchStage("coarse", 6, 1)),
        SearchMode.TRIALS, 3, 1.5, 0.5, 12, TestFiles.hadoop(out));
    BadInputException e = assertThrows(BadInputException.class, () -> SearchJob.run(spark, other, new PrintWriter(new StringWriter())));
    assertTrue(e.getMessage().contains("holds a different search"), e.getMessage());
  }

  @Test
  void dataModeRunsEachTrialAsADistributedTrainingAndStopsTheExplodingOnes(@TempDir Path dir) throws Exception {
    SearchSpace space = space(dir, "train.learningRate: choice([0.2, 9.0])\n");
    Path out = dir.resolve("search");
    SearchRequest request = new SearchRequest(TestFiles.hadoop(data), space,
        base("model.batchNorm=false", "model.hiddenLayers=[64, 64]", "train.averagingFrequency=2", "train.checkpointEveryEpochs=0"),
        List.of(new SearchStage("coarse", 4, 2)), SearchMode.DATA, 3, 1.5, 0.5, 2, TestFiles.hadoop(out));
    SearchJob.SearchResult result = SearchJob.run(spark, request, new PrintWriter(new StringWriter()));
    assertEquals(SearchMode.DATA, result.mode());
    List<TrialRecord> rows = records(out);
    assertEquals(4, rows.size());
    for (TrialRecord t : rows) {
      double lr = t.values().get("train.learningRate").asDouble();
      assertTrue(Files.isRegularFile(out.resolve("runs").resolve("coarse-" + t.trial()).resolve("metrics.jsonl")), "run kept");
      if (lr == 9.0) {
        assertTrue(t.aborted() && t.reason().startsWith("exploded: "), "SGD at 9 without BatchNorm explodes: " + t);
      } else {
        assertFalse(t.aborted(), t.reason());
        assertTrue(t.valAccuracy() > 0.75, "lr 0.2 learns the blobs (chance is 0.25): " + t.valAccuracy());
        assertEquals(2, t.epochs());
      }
    }
  }
}
