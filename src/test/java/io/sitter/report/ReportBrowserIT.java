package io.sitter.report;

import io.sitter.TestFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Opens reports of generated runs in headless Chromium and checks what a person would see: no
 * console errors, every chart container drawn, reference lines where their values are, the
 * verdict table equal to checks.json, the toggles and sorting working. Screenshots go to
 * {@code target/report-screenshots/}.
 */
class ReportBrowserIT {
  @TempDir static Path profile;
  private static ReportBrowser browser;

  @TempDir Path dir;

  @BeforeAll
  static void startBrowser() {
    browser = new ReportBrowser(profile);
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void aNormalRunRendersEveryChartAndTheVerdictsOfChecksJson() throws Exception {
    RunFixture fixture = new RunFixture();
    fixture.rounds = 60;
    fixture.roundsPerEpoch = 20;
    fixture.write(dir);
    browser.open(TestFiles.report(dir), "run");
    browser.assertVerdictTableMatches(dir.resolve("checks.json"));
    List<String> charts = browser.chartIds();
    assertTrue(charts.containsAll(List.of("chart-loss", "chart-accuracy", "chart-update-ratio", "chart-dead",
        "chart-activations", "chart-time", "chart-lr-probe", "chart-confusion", "chart-hist-0")), charts.toString());

    // Reference lines are drawn where their values are (markLine once dropped them silently on log axes).
    browser.assertLineDrawn("chart-loss", "y", 3 * 2.31, ReportBrowser.RED);
    browser.assertLineDrawn("chart-update-ratio", "y", 1e-3, ReportBrowser.GREEN);
    browser.assertLineDrawn("chart-lr-probe", "x", 1e-3, ReportBrowser.GREEN);
    browser.assertLineDrawn("chart-lr-probe", "x", 0.3, ReportBrowser.RED);

    // The log toggle switches the loss chart's axis, and back.
    WebElement toggle = browser.driver.findElement(By.cssSelector("button[data-log-for='chart-loss']"));
    assertEquals("value", browser.yAxisType("chart-loss"));
    toggle.click();
    assertEquals("log", browser.yAxisType("chart-loss"));
    toggle.click();
    assertEquals("value", browser.yAxisType("chart-loss"));
    browser.assertNoConsoleErrors("run");
  }

  @Test
  void aRunThatWentNaNAndWasAbortedRendersWithItsBanners() throws Exception {
    RunFixture fixture = new RunFixture();
    fixture.nanFromRound = 12;
    fixture.abortedAt = 15;
    fixture.saturating = true;
    fixture.write(dir);
    browser.open(TestFiles.report(dir), "aborted-nan");
    List<String> banners = browser.texts(".banner");
    assertTrue(banners.stream().anyMatch(b -> b.startsWith("Training was aborted by the babysitter at round 15")), banners.toString());
    assertTrue(banners.stream().anyMatch(b -> b.contains("train_loss first NaN at round 12")), banners.toString());
    browser.assertVerdictTableMatches(dir.resolve("checks.json"));
    assertTrue(browser.chartIds().contains("chart-saturated"));
  }

  @Test
  void aSingleRoundRunRenders() throws Exception {
    RunFixture fixture = new RunFixture();
    fixture.rounds = 1;
    fixture.lrProbe = false;
    fixture.evaluation = false;
    fixture.write(dir);
    browser.open(TestFiles.report(dir), "single-round");
    assertTrue(browser.texts(".banner").stream().anyMatch(b -> b.contains("Only one round")));
    browser.assertVerdictTableMatches(dir.resolve("checks.json"));
  }

  @Test
  void thousandsOfRoundsAndManyLayersRender() throws Exception {
    RunFixture fixture = new RunFixture();
    fixture.rounds = 5000;
    fixture.roundsPerEpoch = 500;
    fixture.hiddenLayers = 11;
    fixture.bins = 20;
    fixture.write(dir);
    browser.open(TestFiles.report(dir), "long-run");
    assertEquals(12 + 8, browser.chartIds().size(), "8 charts and one histogram per layer");
  }

  @Test
  void aSearchShowsItsTrialsWithAbortedReasonsAndSortsItsTable() throws Exception {
    List<Map<String, Object>> trials = RunFixture.writeTrials(dir, 40, 11);
    browser.open(TestFiles.report(dir), "search");
    assertTrue(browser.chartIds().containsAll(List.of("chart-search-lr", "chart-search-l2")));
    List<WebElement> headers = browser.driver.findElements(By.cssSelector("#trials thead th"));
    WebElement valAccuracy = headers.stream().filter(h -> h.getText().startsWith("val accuracy")).findFirst().orElseThrow();
    valAccuracy.click();
    valAccuracy.click(); // descending: best first
    List<Double> expected = trials.stream().map(t -> (Double) t.get("val_accuracy")).filter(v -> v != null)
        .sorted((a, b) -> Double.compare(b, a)).toList();
    List<Double> shown = new ArrayList<>();
    for (WebElement row : browser.driver.findElements(By.cssSelector("#trials tbody tr"))) {
      String sort = row.findElements(By.tagName("td")).get(3).getAttribute("data-sort");
      if (sort != null) {
        shown.add(Double.valueOf(sort));
      }
    }
    assertEquals(expected, shown, "sorted by validation accuracy, best first, aborted trials last");
    long aborted = trials.stream().filter(t -> "aborted".equals(t.get("status"))).count();
    assertEquals(aborted, browser.driver.findElements(By.cssSelector("#trials tbody tr.aborted")).size());
    // Hovering an aborted trial's mark shows why it was aborted.
    String tip = (String) browser.script(
        "var el = document.getElementById('chart-search-lr'), chart = echarts.getInstanceByDom(el);"
            + "var i = chart.getOption().series.findIndex(function (s) { return s.name === 'aborted'; });"
            + "chart.dispatchAction({type: 'showTip', seriesIndex: i, dataIndex: 0});"
            + "return el.textContent;");
    assertTrue(tip.contains("loss 8.2 > 3x initial 2.30 <at round 3>"), "the tooltip names the reason: " + tip);
    browser.assertNoConsoleErrors("search after sorting and hovering");
  }

}
