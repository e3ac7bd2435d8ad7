package io.sitter.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitter.metrics.EvaluationAccumulator;
import io.sitter.metrics.EvaluationResult;
import io.sitter.metrics.JsonLinesTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report reads what sitter's own writers (io.sitter.metrics) produce, not only hand-made fixtures. */
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
    result.write(dir.resolve("evaluation.json"));

    JsonLinesTable metrics = JsonLinesTable.create(dir, "metrics");
    for (int r = 1; r <= 4; r++) {
      ObjectNode row = RunFixture.JSON.createObjectNode();
      row.put("round", r).put("epoch", (r + 1) / 2).put("iteration", 10 * r).put("examples_seen", 1280 * r);
      if (r == 4) {
        row.put("train_loss", "NaN");
      } else {
        row.put("train_loss", 1.1 - 0.1 * r);
      }
      row.put("train_accuracy", 0.3 + 0.1 * r);
      if (r % 2 == 0) {
        row.put("val_loss", 1.0).put("val_accuracy", 0.5);
      } else {
        row.putNull("val_loss").putNull("val_accuracy");
      }
      row.putArray("layers").addObject().put("layer", "dense_0").put("update_ratio", 1e-3).put("dead_fraction", 0.1);
      metrics.append(row);
    }

    String html = Files.readString(ReportJob.write(dir));
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
    assertTrue(data.path("updateRatio").path("layers").get(0).path("points").size() == 4);
    assertTrue(data.path("activations").isNull(), "no act_mean/act_std written: no empty chart");
    assertTrue(data.path("time").isNull(), "no timings written: no empty chart");
    assertTrue(data.path("histograms").isNull());
  }
}
