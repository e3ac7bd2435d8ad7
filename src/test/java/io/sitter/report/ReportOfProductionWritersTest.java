package io.sitter.report;

import io.sitter.TestFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sitter.metrics.AbortVerdict;
import io.sitter.metrics.CheckResult;
import io.sitter.metrics.ChecksReport;
import io.sitter.metrics.EvaluationAccumulator;
import io.sitter.metrics.LrProbeCurve;
import io.sitter.metrics.EvaluationResult;
import io.sitter.metrics.LayerMetrics;
import io.sitter.storage.MetricsWriter;
import io.sitter.storage.RunDirectory;
import io.sitter.metrics.RoundMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report reads what sitter's own writers (RunDirectory's metrics, checks and evaluation writers) produce, not only hand-made fixtures. */
class ReportOfProductionWritersTest {
  @TempDir Path dir;

  @Test
  void evaluationJsonAndMetricsJsonlFromTheWritersRender() throws Exception {
    Random rnd = new Random(4);
    EvaluationAccumulator acc = new EvaluationAccumulator(3);
    for (int i = 0; i < 500; i++) {
      int label = rnd.nextInt(3);
      float[] p = {0.1f, 0.1f, 0.1f};
      p[rnd.nextDouble() < 0.8 ? label : (label + 1) % 3] = 0.8f;
      acc.add(label, p, 0);
    }
    EvaluationResult result = EvaluationResult.of(acc, List.of("cat", "dog", "bird"));
    RunDirectory run = TestFiles.runDir(dir);
    run.writeEvaluation(result);

    // metrics.jsonl as the trainer writes it, with a babysitter listener's per-layer monitors; not
    // closed, so the report reads the rounds of a run still going (or killed).
    MetricsWriter metrics = run.createMetrics();
    for (int r = 1; r <= 4; r++) {
      RoundMetrics.Builder m = new RoundMetrics.Builder().round(r).epoch((r + 1) / 2).iteration(10L * r).examplesSeen(1280L * r)
          .trainLoss(r == 4 ? Double.NaN : 1.1 - 0.1 * r).trainAccuracy(0.3 + 0.1 * r).lr(1e-3)
          .roundSeconds(1.0).broadcastSeconds(0.1).computeSecondsMax(0.8).computeSecondsMean(0.7).aggregateSeconds(0.1)
          .samplesPerSecond(1280);
      if (r % 2 == 0) {
        m.valLoss(1.0).valAccuracy(0.5);
      }
      m.layer("dense_0").updateRatio(1e-3).deadFraction(0.1)
          .histogram(new LayerMetrics.Histogram(0.0, 2.0, List.of(5, 3, 2, r)));
      m.layer("output").updateRatio(r == 4 ? Double.POSITIVE_INFINITY : 2e-3);
      metrics.append(m.build());
    }

    // checks.json as the babysitter writes it.
    run.writeChecks(new ChecksReport(
        new AbortVerdict(4, "loss NaN is not finite", Double.NaN, 1.12, "output", Double.POSITIVE_INFINITY, 0.5, 0.05),
        List.of(
            CheckResult.preflight("initial_loss", CheckResult.Status.PASS, "1.12", "about ln(3) = 1.1", "Starts at chance.",
                Map.of("loss", 1.12, "expected", Math.log(3))),
            CheckResult.monitor("update_ratio", "output", CheckResult.Status.FAIL, "Infinity", "in [1e-4, 1e-2]",
                "Lower the learning rate.", Map.of("ratio", Double.POSITIVE_INFINITY), 4)),
        new LrProbeCurve(List.of(1e-4, 1e-3, 1e-2, 1e-1), List.of(1.1, 1.0, 0.7, Double.NaN), List.of(1.1, 1.05, 0.9, Double.NaN),
            3e-3, 1e-1, 1e-3)));

    String html = Files.readString(TestFiles.report(dir));
    JsonNode data = ReportJobTest.pageData(html);
    JsonNode cells = data.path("confusion").path("cells");
    assertEquals(9, cells.size());
    for (JsonNode cell : cells) {
      assertEquals(result.confusion(cell.get(1).asInt(), cell.get(0).asInt()), cell.get(3).asLong());
    }
    assertEquals(List.of("cat", "dog", "bird"), List.of(data.path("confusion").path("classes").get(0).asText(),
        data.path("confusion").path("classes").get(1).asText(), data.path("confusion").path("classes").get(2).asText()));
    assertTrue(html.contains(ReportPage.percent(result.accuracy())), "test accuracy card");
    assertEquals(4, data.path("loss").path("train").size());
    assertTrue(data.path("loss").path("train").get(3).get(1).isNull());
    assertEquals(2, data.path("loss").path("val").size());
    assertTrue(html.contains("train_loss first NaN at round 4"));
    assertEquals(2, data.path("updateRatio").path("layers").size());
    assertTrue(data.path("updateRatio").path("layers").get(1).path("points").get(3).get(1).isNull(), "Infinity is a gap");
    assertTrue(html.contains("update_ratio[output] first +Infinity at round 4"));
    assertTrue(data.path("activations").isNull(), "no act_mean/act_std written: no empty chart");
    assertEquals(4, data.path("time").path("rounds").size());
    JsonNode last = data.path("histograms").get(0).path("last");
    assertEquals(4.0 / 14, last.get(3).get(1).asDouble(), 1e-12, "counts 5,3,2,4: the last bin's share");
    assertEquals(4, data.path("histograms").get(0).path("lastRound").asInt());

    assertTrue(html.contains("Training was aborted by the babysitter at round 4: loss NaN is not finite. "
        + "Try a learning rate of 0.05 (it was 0.5)."), "abort banner from AbortVerdict");
    assertEquals(3 * 1.12, data.path("loss").path("abortLine").asDouble(), 1e-12, "the abort rule's own initial loss");
    List<String> rows = ReportJobTest.verdictRows(html);
    assertEquals(List.of("update_ratio@output=fail", "initial_loss=pass"), rows, "failures first, layers kept");
    JsonNode probe = data.path("lrProbe");
    assertEquals(4, probe.path("points").size());
    assertTrue(probe.path("smoothed").get(3).get(1).isNull(), "NaN in the smoothed curve is a gap");
    assertEquals(1e-3, probe.path("suggested").asDouble());
  }
}
