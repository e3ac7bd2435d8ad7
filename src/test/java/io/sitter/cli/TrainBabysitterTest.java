package io.sitter.cli;

import io.sitter.TestFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.GeneratedPrepData;
import io.sitter.TestSpark;
import io.sitter.metrics.CheckResult;
import io.sitter.metrics.ChecksReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sitter train} with the babysitter: preflight unless --no-checks, checks.json, exit 3 on divergence. */
class TrainBabysitterTest {
  private static final List<String> SMALL = List.of("--partitions", "2", "--set", "model.hiddenLayers=[16, 16]",
      "--set", "train.minibatchSize=32", "--set", "train.epochs=2", "--set", "babysit.lrProbeSteps=30",
      "--set", "babysit.overfitMaxIterations=30", "--set", "babysit.probeBatchSize=64");

  private static int run(StringWriter out, StringWriter err, Path data, Path run, String... more) {
    List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--out", run.toString()));
    args.addAll(SMALL);
    args.addAll(List.of(more));
    return SitterMain.execute(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
  }

  @Test
  void aDivergingRunExitsThreeWithTheVerdictInChecksJson(@TempDir Path tmp) throws Exception {
    Path data = GeneratedPrepData.write(TestSpark.session(), tmp.resolve("data"),
        GeneratedPrepData.blobs(300, 6, 3, 1), null, null);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = run(out, err, data, tmp.resolve("run"), "--set", "train.updater=sgd", "--set", "train.learningRate=1",
        "--set", "model.batchNorm=false", "--set", "model.hiddenLayers=[64, 64, 64]", "--set", "train.epochs=5",
        "--set", "train.lrDecay=exponential", "--set", "train.lrDecayRate=0.99", "--set", "train.lrDecaySteps=1");
    assertEquals(3, code, out + "\n" + err);
    ChecksReport checks = TestFiles.checks(tmp.resolve("run/checks.json"));
    assertNotNull(checks.aborted());
    // Under decay the rate of the aborted round is the one metrics.jsonl records for it: the rate
    // at the iteration count before the round, 1 * 0.99^iteration (computed here, not by sitter).
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    long before = 0;
    Double recorded = null;
    for (String line : Files.readAllLines(tmp.resolve("run/metrics.jsonl"))) {
      var row = json.readTree(line);
      if (row.get("round").asInt() == checks.aborted().round()) {
        recorded = row.get("lr").asDouble();
        break;
      }
      before = row.get("iteration").asLong();
    }
    assertNotNull(recorded, "the aborted round is in metrics.jsonl");
    assertEquals(Math.pow(0.99, before), recorded, 1e-12);
    assertEquals(recorded, checks.aborted().learningRate(), 0.0, "checks.json and metrics.jsonl agree on the round's rate");
    assertTrue(err.toString().contains("training aborted: " + checks.aborted().reason()), err.toString());
    assertTrue(out.toString().contains("preflight checks"), out.toString());
    assertTrue(out.toString().contains("ABORTED at round " + checks.aborted().round()), out.toString());
    assertTrue(Files.isRegularFile(tmp.resolve("run/metrics.jsonl")), "metrics written so far are kept");
    assertTrue(checks.checks().stream().anyMatch(c -> c.phase() == CheckResult.Phase.PREFLIGHT));
  }

  @Test
  void noChecksSkipsThePreflightButTheMonitorsStillWatch(@TempDir Path tmp) throws Exception {
    Path data = GeneratedPrepData.write(TestSpark.session(), tmp.resolve("data"),
        GeneratedPrepData.blobs(300, 6, 3, 2), null, null);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(0, run(out, err, data, tmp.resolve("run"), "--no-checks"), out + "\n" + err);
    ChecksReport checks = TestFiles.checks(tmp.resolve("run/checks.json"));
    assertNull(checks.aborted());
    assertNull(checks.lrProbe());
    assertTrue(checks.checks().stream().allMatch(c -> c.phase() == CheckResult.Phase.MONITOR), checks.checks().toString());
    assertTrue(checks.checks().stream().anyMatch(c -> c.check().equals("update_ratio")));
    String metrics = Files.readString(tmp.resolve("run/metrics.jsonl"));
    assertTrue(metrics.contains("\"dead_fraction\"") && metrics.contains("\"histogram\""), metrics);
  }
}
