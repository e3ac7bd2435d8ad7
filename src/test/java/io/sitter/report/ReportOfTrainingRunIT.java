package io.sitter.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sitter.GeneratedPrepData;
import io.sitter.GeneratedPrepData.Examples;
import io.sitter.TestSpark;
import io.sitter.cli.SitterMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a real (small) training run: {@code sitter train} itself, babysitter included,
 * trains on Spark and writes the run directory and its report.html; the page is opened in headless
 * Chromium with the same checks as the generated runs (nothing fetched, no console errors, every
 * chart drawn, the verdict table equal to checks.json), and its numbers are compared with the
 * run's files read independently. Screenshot: target/report-screenshots/training-run.png.
 */
class ReportOfTrainingRunIT {
  @TempDir Path tmp;

  @Test
  void theReportOfASmallTrainingRunOpensAndShowsItsRoundsAndVerdicts() throws Exception {
    SparkSession spark = TestSpark.session(); // sitter's CLI then finds this session (local[2], Kryo strict)
    Examples all = GeneratedPrepData.spirals(160, 3, 0.1, 5);
    Examples[] split = GeneratedPrepData.split(all, 320, 80);
    Path data = GeneratedPrepData.write(spark, tmp.resolve("data"), split[0], split[1], split[2]);
    Path run = tmp.resolve("run");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SitterMain.execute(new String[] {"train", "--data", data.toString(), "--out", run.toString(),
        "--partitions", "2", "--set", "model.hiddenLayers=[32, 16]", "--set", "train.epochs=4",
        "--set", "train.minibatchSize=16", "--set", "train.averagingFrequency=4", "--set", "train.learningRate=0.01",
        "--set", "babysit.lrProbeSteps=60", "--set", "babysit.overfitMaxIterations=150"},
        new PrintWriter(out, true), new PrintWriter(err, true));
    assertEquals(0, code, out + "\n" + err);
    Path report = run.resolve("report.html");
    assertTrue(out.toString().contains("report: " + report.toAbsolutePath()), out.toString());
    assertTrue(Files.exists(run.resolve("checks.json")), "the babysitter wrote its verdicts");

    String html = Files.readString(report);
    JsonNode page = ReportJobTest.pageData(html);
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
      if (!line.isBlank()) {
        rows.add(RunFixture.JSON.readTree(line));
      }
    }
    JsonNode training = RunFixture.JSON.readTree(run.resolve("training.json").toFile());
    assertEquals(training.path("rounds").asInt(), rows.size());
    JsonNode train = page.path("loss").path("train");
    assertEquals(rows.size(), train.size(), "a short run is drawn round by round");
    for (int i = 0; i < rows.size(); i++) {
      assertEquals(rows.get(i).path("round").asInt(), train.get(i).get(0).asInt());
      assertEquals(rows.get(i).path("train_loss").asDouble(), train.get(i).get(1).asDouble(), 1e-12);
    }
    assertEquals(4, page.path("loss").path("val").size(), "one validation point per epoch");
    assertEquals(Math.log(3), page.path("loss").path("lnC").asDouble(), 1e-12);
    assertEquals(4, page.path("accuracy").path("val").size());
    assertEquals(3, page.path("updateRatio").path("layers").size(), "two hidden blocks and the output");
    JsonNode evaluation = RunFixture.JSON.readTree(run.resolve("evaluation.json").toFile());
    long counted = 0;
    for (JsonNode cell : page.path("confusion").path("cells")) {
      counted += cell.get(3).asLong();
    }
    assertEquals(evaluation.path("count").asLong(), counted, "the heat map holds every test example");
    assertTrue(html.contains(ReportPage.percent(training.path("testAccuracy").asDouble())), "test accuracy in the header");
    assertTrue(html.contains(ReportPage.percent(training.path("valAccuracy").asDouble())), "final validation accuracy in the header");

    try (ReportBrowser browser = new ReportBrowser(tmp.resolve("profile"))) {
      browser.open(report, "training-run");
      assertTrue(browser.chartIds().containsAll(List.of("chart-loss", "chart-accuracy", "chart-update-ratio", "chart-time",
          "chart-confusion")), browser.chartIds().toString());
      browser.assertVerdictTableMatches(run.resolve("checks.json"));
    }
  }
}
