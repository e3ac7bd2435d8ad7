package io.sitter.report;

import io.sitter.TestFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sitter.config.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportJobTest {
  @TempDir Path dir;

  static JsonNode pageData(String html) throws Exception {
    String open = "<script type=\"application/json\" id=\"report-data\">";
    int from = html.indexOf(open) + open.length();
    return RunFixture.JSON.readTree(html.substring(from, html.indexOf("</script>", from)));
  }

  static List<String> verdictRows(String html) {
    Matcher m = Pattern.compile("<tr class=\"status-[a-z]+\" data-check=\"([^\"]*)\" data-layer=\"([^\"]*)\" data-status=\"([^\"]*)\">").matcher(html);
    List<String> rows = new ArrayList<>();
    while (m.find()) {
      rows.add(m.group(1) + (m.group(2).isEmpty() ? "" : "@" + m.group(2)) + "=" + m.group(3));
    }
    return rows;
  }

  @Test
  void writesOneSelfContainedPageWithTheVerdictsOfChecksJson() throws Exception {
    RunFixture fixture = new RunFixture();
    fixture.write(dir);
    Path report = TestFiles.report(dir);
    assertEquals(dir.resolve("report.html"), report);
    String html = Files.readString(report);
    try (Stream<Path> files = Files.list(dir)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".tmp")), "no temporary file left behind");
    }
    assertFalse(Pattern.compile("<script[^>]+src=|<link[^>]+href=|@import|url\\(http", Pattern.CASE_INSENSITIVE).matcher(html).find(),
        "nothing is fetched when the page opens");
    assertTrue(html.contains("echarts"), "the chart library is inlined");

    List<String> expected = new ArrayList<>();
    for (Map<String, Object> c : fixture.writtenChecks) {
      expected.add(c.get("check") + (c.get("layer") == null ? "" : "@" + c.get("layer")) + "=" + c.get("status"));
    }
    List<String> rows = verdictRows(html);
    assertEquals(expected.stream().sorted().toList(), rows.stream().sorted().toList());
    assertEquals("regularization=warn", rows.get(0), "warnings before passes");

    JsonNode data = pageData(html);
    JsonNode train = data.path("loss").path("train");
    assertEquals(fixture.rounds, train.size());
    for (int i = 0; i < train.size(); i++) {
      assertEquals(i + 1, train.get(i).get(0).asInt());
      assertEquals((Double) fixture.writtenRounds.get(i).get("train_loss"), train.get(i).get(1).asDouble(), 1e-15);
    }
    assertEquals(3, data.path("loss").path("val").size(), "one validation point per epoch");
    assertEquals(Math.log(10), data.path("loss").path("lnC").asDouble(), 1e-12);
    assertEquals(3.0 * 2.31, data.path("loss").path("abortLine").asDouble(), 1e-12, "3x the initial-loss check's loss");
    assertEquals(3, data.path("accuracy").path("train").size());
    assertEquals(fixture.layerNames().size(), data.path("updateRatio").path("layers").size());
    assertEquals(1e-4, data.path("updateRatio").path("low").asDouble());
    assertEquals(1e-2, data.path("updateRatio").path("high").asDouble());
    assertEquals(fixture.layerNames().size(), data.path("histograms").size());
    assertEquals(10, data.path("confusion").path("classes").size());
    assertEquals(100, data.path("confusion").path("cells").size());
    assertTrue(data.path("search").isNull());
    assertTrue(data.path("saturated").isNull(), "a ReLU run (all saturated_fraction 0) gets no saturation chart");
    assertFalse(html.contains("id=\"chart-saturated\""));
  }

  @Test
  void finalFiguresComeFromTrainingJsonWhenTrainingFinished() throws Exception {
    RunFixture fixture = new RunFixture();
    fixture.evaluation = false;
    fixture.write(dir);
    Files.writeString(dir.resolve("training.json"), "{\"schemaVersion\":1,\"epochs\":3,\"rounds\":30,\"batchNormReestimated\":true,"
        + "\"valAccuracyBeforeReestimate\":0.85,\"valAccuracy\":0.912,\"valLoss\":0.25,\"testAccuracy\":0.9031,\"seconds\":125.2}");
    String html = Files.readString(TestFiles.report(dir));
    assertTrue(html.contains("<div class=\"value\">91.20%</div><div class=\"note\">after BatchNorm re-estimation</div>"), "validation after re-estimation");
    assertTrue(html.contains("<div class=\"value\">90.31%</div><div class=\"note\">from training.json</div>"), "test accuracy without evaluation.json");
    assertTrue(html.contains("<div class=\"value\">2 min 05 s</div>"), "whole run time");
  }

  @Test
  void aSaturatingRunGetsItsSaturationChart() throws Exception {
    RunFixture fixture = new RunFixture();
    fixture.saturating = true;
    fixture.write(dir);
    String html = Files.readString(TestFiles.report(dir));
    JsonNode layers = pageData(html).path("saturated").path("layers");
    assertEquals(fixture.layerNames().size(), layers.size());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> lastLayers = (List<Map<String, Object>>) fixture.writtenRounds.get(fixture.rounds - 1).get("layers");
    assertEquals((Double) lastLayers.get(1).get("saturated_fraction"), layers.get(1).path("points").get(fixture.rounds - 1).get(1).asDouble(), 1e-15);
    assertTrue(html.contains("id=\"chart-saturated\""));
  }

  @Test
  void histogramSharesAndConfusionRecallAreRecomputedFromTheCounts() throws Exception {
    RunFixture fixture = new RunFixture();
    fixture.write(dir);
    JsonNode data = pageData(Files.readString(TestFiles.report(dir)));
    @SuppressWarnings("unchecked")
    Map<String, Object> lastHist = (Map<String, Object>) ((List<Map<String, Object>>) fixture.writtenRounds.get(fixture.rounds - 1).get("layers")).get(0).get("histogram");
    @SuppressWarnings("unchecked")
    List<Integer> counts = (List<Integer>) lastHist.get("counts");
    double total = counts.stream().mapToInt(Integer::intValue).sum();
    JsonNode last = data.path("histograms").get(0).path("last");
    double width = ((Double) lastHist.get("max") - (Double) lastHist.get("min")) / counts.size();
    double sum = 0;
    for (int b = 0; b < counts.size(); b++) {
      assertEquals(counts.get(b) / total, last.get(b).get(1).asDouble(), 1e-12);
      assertEquals(width * b + width / 2, last.get(b).get(0).asDouble(), 1e-12, "bin centre");
      sum += last.get(b).get(1).asDouble();
    }
    assertEquals(1.0, sum, 1e-9);
    assertEquals(fixture.rounds, data.path("histograms").get(0).path("lastRound").asInt());

    JsonNode evaluation = RunFixture.JSON.readTree(dir.resolve("evaluation.json").toFile());
    for (JsonNode cell : data.path("confusion").path("cells")) {
      int predicted = cell.get(0).asInt();
      int actual = cell.get(1).asInt();
      JsonNode row = evaluation.path("confusion").get(actual);
      long support = 0;
      for (JsonNode n : row) {
        support += n.asLong();
      }
      assertEquals(row.get(predicted).asLong(), cell.get(3).asLong());
      assertEquals(row.get(predicted).asDouble() / support, cell.get(2).asDouble(), 1e-12);
    }
  }

  @Test
  void aRunThatWentNaNRendersWithABannerAndGaps() throws Exception {
    RunFixture fixture = new RunFixture();
    fixture.nanFromRound = 12;
    fixture.write(dir);
    String html = Files.readString(TestFiles.report(dir));
    assertTrue(html.contains("train_loss first NaN at round 12"), "banner names the metric and round");
    assertTrue(html.contains("val_loss first +Infinity at round 20"));
    assertTrue(html.contains("update_ratio[dense_0, dense_1, output] first +Infinity at round 12"), "one entry per metric, naming the layers");
    assertTrue(html.contains("A check failed: update_ratio (dense_0, dense_1, output)."), "a per-layer check is named once, with its layers");
    JsonNode train = pageData(html).path("loss").path("train");
    assertTrue(train.get(10).get(1).isNumber());
    for (int i = 11; i < fixture.rounds; i++) {
      assertTrue(train.get(i).get(1).isNull(), "round " + (i + 1) + " is a gap");
    }
    JsonNode ratio = pageData(html).path("updateRatio").path("layers").get(0).path("points");
    assertTrue(ratio.get(11).get(1).isNull());
    JsonNode activations = pageData(html).path("activations");
    assertEquals(11, activations.path("lastRound").asInt(), "the last round with measured activations");
    assertEquals(0.4, activations.path("meanLast").get(0).asDouble(), 1e-12);
  }

  @Test
  void anAbortedRunSaysWhereAndWhyAndDrawsTheConfiguredAbortLine() throws Exception {
    RunFixture fixture = new RunFixture();
    fixture.abortedAt = 7;
    fixture.evaluation = false;
    fixture.configOverrides = List.of("babysit.abortLossFactor=2.5");
    fixture.write(dir);
    String html = Files.readString(TestFiles.report(dir));
    assertTrue(html.contains("Training was aborted by the babysitter at round 7: loss 7.1 &gt; 3x initial 2.30. "
        + "Try a learning rate of 0.005 (it was 0.05)."), "abort banner with the suggested rate");
    assertTrue(html.contains("A check failed: loss_explosion."), "one failed check, named");
    JsonNode data = pageData(html);
    assertEquals(7, data.path("loss").path("train").size());
    assertEquals(2.5 * 2.30, data.path("loss").path("abortLine").asDouble(), 1e-12,
        "the factor comes from config.json, the initial loss from the abort rule itself");
    assertTrue(data.path("confusion").isNull());
    assertTrue(html.contains("class=\"banner error\""));
  }

  @Test
  void aSingleRoundRunRendersAndSaysSo() throws Exception {
    RunFixture fixture = new RunFixture();
    fixture.rounds = 1;
    fixture.lrProbe = false;
    fixture.write(dir);
    String html = Files.readString(TestFiles.report(dir));
    assertTrue(html.contains("Only one round was recorded"));
    JsonNode data = pageData(html);
    assertEquals(1, data.path("loss").path("train").size());
    assertEquals(1, data.path("loss").path("val").size());
    assertTrue(data.path("lrProbe").isNull());
    assertTrue(html.contains("Not recorded in this run."), "the missing probe is said, not drawn empty");
  }

  @Test
  void aLongRunWithManyLayersIsDownsampledForDrawing() throws Exception {
    RunFixture fixture = new RunFixture();
    fixture.rounds = 6000;
    fixture.roundsPerEpoch = 600;
    fixture.hiddenLayers = 11;
    fixture.bins = 10;
    fixture.slowRound = 4321;
    fixture.write(dir);
    Path report = TestFiles.report(dir);
    JsonNode data = pageData(Files.readString(report));
    assertEquals(ChartData.MAX_POINTS, data.path("loss").path("train").size());
    assertEquals(6000, data.path("loss").path("train").get(ChartData.MAX_POINTS - 1).get(0).asInt(), "last round kept");
    for (String chart : List.of("updateRatio", "dead")) {
      JsonNode layers = data.path(chart).path("layers");
      assertEquals(12, layers.size());
      layers.forEach(l -> assertEquals(ChartData.MAX_POINTS, l.path("points").size(), chart + " " + l.path("name")));
    }
    JsonNode time = data.path("time");
    assertEquals(ChartData.MAX_POINTS, time.path("rounds").size());
    for (String part : List.of("broadcast", "computeMax", "aggregate", "computeMean", "samplesPerSecond")) {
      assertEquals(ChartData.MAX_POINTS, time.path(part).size(), "stacked parts are values by position of the same rounds");
    }
    double slowest = 0;
    int slowestRound = 0;
    for (Map<String, Object> row : fixture.writtenRounds) {
      if ((Double) row.get("round_seconds") > slowest) {
        slowest = (Double) row.get("round_seconds");
        slowestRound = (Integer) row.get("round");
      }
    }
    int slowestAt = -1;
    for (int i = 0; i < time.path("rounds").size(); i++) {
      slowestAt = time.path("rounds").get(i).asInt() == slowestRound ? i : slowestAt;
    }
    assertEquals(4321, slowestRound);
    assertTrue(slowestAt >= 0, "the straggler round survives downsampling");
    assertEquals(slowest, time.path("round").get(slowestAt).asDouble(), 1e-12);
    long bytes = Files.size(report);
    assertTrue(bytes < 4_000_000, "report of 6000 rounds x 12 layers stays small: " + bytes + " bytes");
  }

  @Test
  void aSearchDirectoryGetsScattersAndASortableTableOfAllTrials() throws Exception {
    List<Map<String, Object>> trials = RunFixture.writeTrials(dir, 30, 5);
    String html = Files.readString(TestFiles.report(dir));
    JsonNode search = pageData(html).path("search");
    assertEquals("train.learningRate", search.path("lrKey").asText());
    assertEquals("model.l2", search.path("l2Key").asText());
    assertEquals(30, search.path("trials").size());
    Matcher rows = Pattern.compile("<tr class=\"(aborted|completed)\">").matcher(html);
    int aborted = 0;
    int count = 0;
    while (rows.find()) {
      count++;
      aborted += rows.group(1).equals("aborted") ? 1 : 0;
    }
    assertEquals(30, count);
    assertEquals(trials.stream().filter(t -> "aborted".equals(t.get("status"))).count(), aborted);
    assertTrue(aborted > 0, "the fixture has aborted trials");
    assertTrue(html.contains("loss 8.2 &gt; 3x initial 2.30 &lt;at round 3&gt;"), "reasons are escaped into the table");
    String open = "<script type=\"application/json\" id=\"report-data\">";
    int from = html.indexOf(open) + open.length();
    assertFalse(html.substring(from, html.indexOf("</script>", from)).contains("<"), "no raw '<' inside the data script");
    String firstReason = trials.stream().filter(t -> t.get("reason") != null).findFirst().orElseThrow().get("reason").toString();
    assertTrue(search.toString().contains(firstReason), "the escaped reason reads back unchanged");
    assertTrue(pageData(html).path("loss").isNull());
    assertTrue(html.contains("<th data-type=\"text\">model.hiddenLayers</th>"), "non-numeric sampled values get a column");
    assertTrue(html.contains("<td>[64,32]</td>"));
  }

  @Test
  void badInputLeavesAnEarlierReportUntouched() throws Exception {
    new RunFixture().write(dir);
    Path report = TestFiles.report(dir);
    String before = Files.readString(report);
    List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("metrics.jsonl")));
    lines.set(1, "not json");
    Files.write(dir.resolve("metrics.jsonl"), lines);
    BadInputException e = assertThrows(BadInputException.class, () -> TestFiles.report(dir));
    assertTrue(e.getMessage().contains("metrics.jsonl line 2"), e.getMessage());
    assertEquals(before, Files.readString(report));
  }

  @Test
  void aConfigThatDoesNotBindIsBadInputNamingConfigJson() throws Exception {
    new RunFixture().write(dir);
    Files.writeString(dir.resolve("config.json"), "{\"schemaVersion\":1,\"config\":{\"model\":{\"hiddenLayers\":[0]}}}");
    BadInputException e = assertThrows(BadInputException.class, () -> TestFiles.report(dir));
    assertTrue(e.getMessage().contains("config.json"), e.getMessage());
  }
}
