package io.sitter.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sitter.TestFiles;
import io.sitter.metrics.LayerMetrics;
import io.sitter.metrics.RoundMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsWriterTest {
  private static RoundMetrics round(int r, double loss, Double valAcc) {
    RoundMetrics.Builder b = new RoundMetrics.Builder().round(r).epoch((r + 1) / 2).iteration(r * 10L)
        .examplesSeen(r * 1000L).trainLoss(loss).trainAccuracy(0.5).lr(1e-3).roundSeconds(2).samplesPerSecond(500)
        .valAccuracy(valAcc);
    b.layer("dense_0").updateRatio(1e-3);
    b.layer("output").updateRatio(2e-3);
    return b.build();
  }

  @Test
  void writesOneJsonLinePerRoundAndAFlatCsvWithNonFiniteAsStrings(@TempDir Path dir) throws Exception {
    MetricsWriter w = TestFiles.runDir(dir).createMetrics();
    w.append(round(1, 1.5, null));
    RoundMetrics.Builder b = new RoundMetrics.Builder().round(2).epoch(1).trainLoss(Double.NaN).valAccuracy(0.75);
    b.layer("dense_0").updateRatio(Double.POSITIVE_INFINITY).deadFraction(0.25)
        .histogram(new LayerMetrics.Histogram(0, 1, List.of(3, 4)));
    w.append(b.build());
    w.close();

    List<String> lines = Files.readAllLines(dir.resolve(RunDirectory.METRICS));
    assertEquals(2, lines.size());
    ObjectMapper json = new ObjectMapper();
    JsonNode first = json.readTree(lines.get(0));
    assertEquals(1.5, first.get("train_loss").asDouble());
    assertTrue(first.get("val_accuracy").isNull());
    assertEquals("output", first.get("layers").get(1).get("layer").asText());
    JsonNode second = json.readTree(lines.get(1));
    assertEquals("NaN", second.get("train_loss").textValue());
    assertEquals("Infinity", second.get("layers").get(0).get("update_ratio").textValue());
    assertEquals(4, second.get("layers").get(0).get("histogram").get("counts").get(1).asInt());

    List<String> csv = Files.readAllLines(dir.resolve(RunDirectory.METRICS_CSV));
    assertEquals(3, csv.size());
    List<String> header = List.of(csv.get(0).split(",", -1));
    String[] row2 = csv.get(2).split(",", -1);
    assertEquals(header.size(), row2.length);
    assertEquals("NaN", row2[header.indexOf("train_loss")]);
    assertEquals("0.75", row2[header.indexOf("val_accuracy")]);
    assertEquals("0.25", row2[header.indexOf("dead_fraction[dense_0]")]);
    assertEquals("", row2[header.indexOf("update_ratio[output]")], "layer absent in round 2");
    assertEquals("", csv.get(1).split(",", -1)[header.indexOf("val_accuracy")]);
  }

  @Test
  void resumeKeepsRoundsUpToTheCheckpointAndDropsTheRest(@TempDir Path dir) throws Exception {
    MetricsWriter w = TestFiles.runDir(dir).createMetrics();
    for (int r = 1; r <= 5; r++) {
      w.append(round(r, 2.0 / r, null));
    }
    w.close();
    Files.writeString(dir.resolve(RunDirectory.METRICS), "{\"round\": 6, \"trunc", java.nio.file.StandardOpenOption.APPEND);
    MetricsWriter resumed = TestFiles.runDir(dir).resumeMetrics(3);
    resumed.append(round(4, 0.1, 0.9));
    resumed.close();
    List<String> lines = Files.readAllLines(dir.resolve(RunDirectory.METRICS));
    assertEquals(4, lines.size());
    ObjectMapper json = new ObjectMapper();
    assertEquals(3, json.readTree(lines.get(2)).get("round").asInt());
    assertEquals(0.1, json.readTree(lines.get(3)).get("train_loss").asDouble());
    assertEquals(5, Files.readAllLines(dir.resolve(RunDirectory.METRICS_CSV)).size());
  }
  /**
   * Rounds bring columns late (a validation round, a layer seen for the first time): every CSV
   * line must still agree with its JSON line under the final header.
   */
  @Test
  void csvLinesAppendedRoundByRoundAgreeWithTheJsonLinesWhenColumnsAppearLater(@TempDir Path dir) throws Exception {
    MetricsWriter w = TestFiles.runDir(dir).createMetrics();
    int rounds = 40;
    for (int r = 1; r <= rounds; r++) {
      RoundMetrics.Builder b = new RoundMetrics.Builder().round(r).epoch(1 + r / 10).trainLoss(1.0 / r)
          .valAccuracy(r % 10 == 0 ? 0.5 + r / 100.0 : null);
      b.layer("dense_0").updateRatio(r * 1e-4);
      if (r >= 25) {
        b.layer("late").deadFraction(r / 100.0);
      }
      w.append(b.build());
    }
    w.close();
    List<String> csv = Files.readAllLines(dir.resolve(RunDirectory.METRICS_CSV));
    assertEquals(rounds + 1, csv.size());
    List<String> header = List.of(csv.get(0).split(",", -1));
    ObjectMapper json = new ObjectMapper();
    List<String> lines = Files.readAllLines(dir.resolve(RunDirectory.METRICS));
    for (int r = 1; r <= rounds; r++) {
      String[] cells = csv.get(r).split(",", -1);
      assertEquals(header.size(), cells.length, "line " + r);
      JsonNode row = json.readTree(lines.get(r - 1));
      assertEquals(row.get("round").asInt(), Integer.parseInt(cells[header.indexOf("round")]));
      assertEquals(row.get("train_loss").asDouble(), Double.parseDouble(cells[header.indexOf("train_loss")]));
      JsonNode val = row.get("val_accuracy");
      assertEquals(val.isNull() ? "" : val.asText(), cells[header.indexOf("val_accuracy")], "round " + r);
      assertEquals(row.get("layers").get(0).get("update_ratio").asDouble(),
          Double.parseDouble(cells[header.indexOf("update_ratio[dense_0]")]));
      String late = cells[header.indexOf("dead_fraction[late]")];
      assertEquals(r >= 25 ? Double.toString(r / 100.0) : "", late, "round " + r);
    }
  }
}
