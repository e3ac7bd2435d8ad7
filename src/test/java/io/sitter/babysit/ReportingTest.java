package io.sitter.babysit;

import io.sitter.TestFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sitter.metrics.AbortVerdict;
import io.sitter.metrics.CheckResult;
import io.sitter.metrics.CheckResult.Status;
import io.sitter.metrics.ChecksReport;
import io.sitter.metrics.LrProbeCurve;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** checks.json as docs/formats.md describes it, the console diagnosis, and the number format. */
class ReportingTest {
  @TempDir Path dir;

  private static ChecksReport sample() {
    CheckResult initial = CheckResult.preflight("initial_loss", Status.PASS, "2.31", "about ln(10) = 2.30",
        "fine", Map.of("loss", 2.31));
    CheckResult ratio = CheckResult.monitor("update_ratio", "dense_1", Status.WARN, "3e-2", "about 1e-3",
        "Learning rate looks too high: layer dense_1 update/weight ratio 3e-2, healthy about 1e-3; try lr 1e-4.",
        Map.of("updateRatio", 3e-2), 3).withRounds(3, 7);
    AbortVerdict abort = new AbortVerdict(7, "loss NaN at round 7", Double.NaN, 2.3, "dense_1",
        Double.POSITIVE_INFINITY, 0.1, 0.01);
    LrProbeCurve curve = new LrProbeCurve(List.of(1e-6, 1e-3, 1.0), List.of(2.3, 1.0, Double.NaN),
        List.of(2.3, 1.5, Double.NaN), 1e-3, 1.0, 1e-3);
    return new ChecksReport(abort, List.of(initial, ratio), curve);
  }

  @Test
  void checksJsonHasTheDocumentedShapeAndReadsBack() throws Exception {
    TestFiles.runDir(dir.resolve("run")).writeChecks(sample());
    Path file = dir.resolve("run/checks.json");
    JsonNode json = new ObjectMapper().readTree(Files.readString(file));
    assertEquals(1, json.get("schemaVersion").asInt());
    assertEquals("NaN", json.get("aborted").get("loss").asText(), "non-finite numbers are strings");
    assertEquals("Infinity", json.get("aborted").get("updateRatio").asText());
    JsonNode ratio = json.get("checks").get(1);
    assertEquals("monitor", ratio.get("phase").asText());
    assertEquals("warn", ratio.get("status").asText());
    assertEquals(3, ratio.get("firstRound").asInt());
    assertEquals(7, ratio.get("lastRound").asInt());
    assertTrue(json.get("checks").get(0).get("firstRound").isNull());
    assertEquals(1.0, json.get("lrProbe").get("explodes").asDouble());
    try (var files = Files.list(dir.resolve("run"))) {
      assertEquals(List.of(file), files.toList(), "no temporary file left behind");
    }
    ChecksReport back = TestFiles.checks(file);
    assertEquals(sample().checks(), back.checks());
    assertTrue(Double.isNaN(back.aborted().loss()));
    assertEquals(sample().lrProbe().rates(), back.lrProbe().rates());
    assertTrue(Double.isNaN(back.lrProbe().losses().get(2)));
  }

  @Test
  void diagnosisLeadsWithTheAbortThenFailuresThenWarnings() {
    CheckResult fail = CheckResult.preflight("overfit_subset", Status.FAIL, "o", "e", "cannot memorise", null);
    List<String> lines = Diagnosis.lines(List.of(), List.of(sample().checks().get(0), sample().checks().get(1), fail),
        sample().aborted());
    assertEquals("ABORTED at round 7: loss NaN at round 7", lines.get(0));
    assertEquals("FAIL overfit_subset: cannot memorise", lines.get(1));
    assertEquals("WARN update_ratio [dense_1] (rounds 3-7): Learning rate looks too high: layer dense_1 "
        + "update/weight ratio 3e-2, healthy about 1e-3; try lr 1e-4.", lines.get(2));
    assertEquals("3 checks: 1 passed, 1 warned, 1 failed.", lines.get(3));
    assertEquals(List.of("Diagnosis: nothing wrong found.", "All 1 checks passed."),
        Diagnosis.lines(List.of(), List.of(sample().checks().get(0)), null));
    assertFalse(new ChecksReport(null, List.of(sample().checks().get(0)), null).anyFailed());
  }

  @Test
  void numbersPrintShortAndRatesRoundToOneDigit() {
    assertEquals("3e-2", Numbers.format(0.0300000001));
    assertEquals("2.31", Numbers.format(2.3125));
    assertEquals("1.5e-4", Numbers.format(1.5e-4));
    assertEquals("1e-3", Numbers.format(0.00099999));
    assertEquals("NaN", Numbers.format(Double.NaN));
    assertEquals("75%", Numbers.percent(0.75));
    assertEquals("0.5%", Numbers.percent(0.005));
    assertEquals(3e-4, Numbers.oneDigit(3.33e-4), 1e-15);
    assertEquals(0.2, Numbers.oneDigit(0.2133), 1e-15);
  }

  @Test
  void lossSumsMergeToTheSumsOfTheWhole() {
    LossAccumulator whole = new LossAccumulator(3, 1).add(4, 1.0, 1.5, new int[] {0, 0, 1, 2}).add(2, 2.0, 2.5, new int[] {2, 2});
    LossAccumulator a = new LossAccumulator(3, 1).add(2, 2.0, 2.5, new int[] {2, 2});
    LossAccumulator b = new LossAccumulator(3, 1).add(4, 1.0, 1.5, new int[] {0, 0, 1, 2});
    LossAccumulator merged = a.merge(b);
    assertEquals(whole.count(), merged.count());
    assertEquals((4 * 1.0 + 2 * 2.0) / 6, merged.meanLoss(), 1e-12);
    assertEquals(whole.meanRegularizedLoss(), merged.meanRegularizedLoss(), 1e-12);
    // labels 0,0,1,2,2,2: p = 1/3, 1/6, 1/2
    double h = -(Math.log(1 / 3.0) / 3 + Math.log(1 / 6.0) / 6 + Math.log(0.5) / 2);
    assertEquals(h, merged.labelEntropy(), 1e-12);
    assertEquals(0.5, merged.majorityShare());
  }
}
