package io.sitter.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Opens generated reports in headless Chromium (Debian's {@code chromium} and {@code
 * chromium-driver}) through Selenium, and checks what a person would see: no console errors,
 * every chart container drawn (its canvas has paint on it), the verdict table equal to
 * checks.json, the toggles and sorting working. Full-page screenshots go to
 * {@code target/report-screenshots/} for people to look at.
 *
 * <p>The driver and browser are given by path, so Selenium Manager never tries to download one;
 * a machine without them fails here with the command that installs them.
 */
class ReportBrowserIT {
  private static final String CHROMIUM = System.getProperty("sitter.chromium", "/usr/bin/chromium");
  private static final String CHROMEDRIVER = System.getProperty("sitter.chromedriver", "/usr/bin/chromedriver");
  private static final String INSTALL = "apt-get update && apt-get install -y chromium chromium-driver";

  /** A canvas counts as drawn when at least this share of its pixels is painted (axes alone are less). */
  private static final double MIN_PAINTED = 0.01;

  /** Coloured pixels a chart's plot area needs: a single point's symbol has about 40. */
  private static final long MIN_COLOURED = 12;

  @TempDir static Path profile;
  private static ChromeDriver driver;

  @TempDir Path dir;

  @BeforeAll
  static void startBrowser() {
    if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(CHROMEDRIVER))) {
      fail("headless Chromium is needed for this test and " + CHROMIUM + " or " + CHROMEDRIVER
          + " is missing; install both with: " + INSTALL);
    }
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
        "--user-data-dir=" + profile.resolve("chromium"), "--window-size=1400,1000");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).build();
    driver = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stopBrowser() {
    if (driver != null) {
      driver.quit();
    }
  }

  @Test
  void aNormalRunRendersEveryChartAndTheVerdictsOfChecksJson() throws Exception {
    RunFixture fixture = new RunFixture();
    fixture.rounds = 60;
    fixture.roundsPerEpoch = 20;
    fixture.write(dir);
    open(ReportJob.write(dir), "run");
    assertVerdictTableMatchesChecksJson();
    List<String> charts = chartIds();
    assertTrue(charts.containsAll(List.of("chart-loss", "chart-accuracy", "chart-update-ratio", "chart-dead",
        "chart-activations", "chart-time", "chart-lr-probe", "chart-confusion", "chart-hist-0")), charts.toString());

    // Reference lines are drawn where their values are (markLine once dropped them silently on log axes).
    assertLineDrawn("chart-loss", "y", 3 * 2.31, RED);
    assertLineDrawn("chart-update-ratio", "y", 1e-3, GREEN);
    assertLineDrawn("chart-lr-probe", "x", 1e-3, GREEN);
    assertLineDrawn("chart-lr-probe", "x", 0.3, RED);

    // The log toggle switches the loss chart's axis, and back.
    WebElement toggle = driver.findElement(By.cssSelector("button[data-log-for='chart-loss']"));
    assertEquals("value", yAxisType("chart-loss"));
    toggle.click();
    assertEquals("log", yAxisType("chart-loss"));
    toggle.click();
    assertEquals("value", yAxisType("chart-loss"));
    assertNoConsoleErrors("run");
  }

  @Test
  void aRunThatWentNaNAndWasAbortedRendersWithItsBanners() throws Exception {
    RunFixture fixture = new RunFixture();
    fixture.nanFromRound = 12;
    fixture.abortedAt = 15;
    fixture.saturating = true;
    fixture.write(dir);
    open(ReportJob.write(dir), "aborted-nan");
    List<String> banners = texts(".banner");
    assertTrue(banners.stream().anyMatch(b -> b.startsWith("Training was aborted by the babysitter at round 15")), banners.toString());
    assertTrue(banners.stream().anyMatch(b -> b.contains("train_loss first NaN at round 12")), banners.toString());
    assertVerdictTableMatchesChecksJson();
    assertTrue(chartIds().contains("chart-saturated"));
  }

  @Test
  void aSingleRoundRunRenders() throws Exception {
    RunFixture fixture = new RunFixture();
    fixture.rounds = 1;
    fixture.lrProbe = false;
    fixture.evaluation = false;
    fixture.write(dir);
    open(ReportJob.write(dir), "single-round");
    assertTrue(texts(".banner").stream().anyMatch(b -> b.contains("Only one round")));
    assertVerdictTableMatchesChecksJson();
  }

  @Test
  void thousandsOfRoundsAndManyLayersRender() throws Exception {
    RunFixture fixture = new RunFixture();
    fixture.rounds = 5000;
    fixture.roundsPerEpoch = 500;
    fixture.hiddenLayers = 11;
    fixture.bins = 20;
    fixture.write(dir);
    open(ReportJob.write(dir), "long-run");
    assertEquals(12 + 8, chartIds().size(), "8 charts and one histogram per layer");
  }

  @Test
  void aSearchShowsItsTrialsWithAbortedReasonsAndSortsItsTable() throws Exception {
    List<Map<String, Object>> trials = RunFixture.writeTrials(dir, 40, 11);
    open(ReportJob.write(dir), "search");
    assertTrue(chartIds().containsAll(List.of("chart-search-lr", "chart-search-l2")));
    List<WebElement> headers = driver.findElements(By.cssSelector("#trials thead th"));
    WebElement valAccuracy = headers.stream().filter(h -> h.getText().startsWith("val accuracy")).findFirst().orElseThrow();
    valAccuracy.click();
    valAccuracy.click(); // descending: best first
    List<Double> expected = trials.stream().map(t -> (Double) t.get("val_accuracy")).filter(v -> v != null)
        .sorted((a, b) -> Double.compare(b, a)).toList();
    List<Double> shown = new ArrayList<>();
    for (WebElement row : driver.findElements(By.cssSelector("#trials tbody tr"))) {
      String sort = row.findElements(By.tagName("td")).get(3).getAttribute("data-sort");
      if (sort != null) {
        shown.add(Double.valueOf(sort));
      }
    }
    assertEquals(expected, shown, "sorted by validation accuracy, best first, aborted trials last");
    long aborted = trials.stream().filter(t -> "aborted".equals(t.get("status"))).count();
    assertEquals(aborted, driver.findElements(By.cssSelector("#trials tbody tr.aborted")).size());
    assertNoConsoleErrors("search after sorting");
  }

  /** Loads the page, checks the console and every chart, and writes a full-page screenshot. */
  private void open(Path report, String name) throws Exception {
    driver.manage().window().setSize(new Dimension(1400, 1000));
    driver.get(report.toUri().toString());
    assertEquals(List.of(), ((JavascriptExecutor) driver).executeScript(
        "return performance.getEntriesByType('resource').map(function (r) { return r.name; });"),
        "the " + name + " page loads nothing besides itself");
    assertNoConsoleErrors(name);
    assertEveryChartDrawn(name);
    screenshot(name);
  }

  /** Errors fail the test; warnings are printed (their wording changes between Chromium versions). */
  private void assertNoConsoleErrors(String page) {
    List<String> errors = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
        errors.add(e.getMessage());
      } else if (e.getLevel().intValue() >= Level.WARNING.intValue()) {
        System.out.println("console warning on the " + page + " page: " + e.getMessage());
      }
    }
    assertEquals(List.of(), errors, "console errors on the " + page + " page");
  }

  /**
   * Every div.chart has an ECharts instance whose canvas is painted, and inside the plot area
   * (the grid) some saturated colour: series are coloured, while axes, split lines and labels are
   * grey, so a chart that drew only its frame fails here.
   */
  @SuppressWarnings("unchecked")
  private void assertEveryChartDrawn(String page) {
    List<Map<String, Object>> charts = (List<Map<String, Object>>) ((JavascriptExecutor) driver).executeScript(
        "return Array.prototype.map.call(document.querySelectorAll('div.chart'), function (el) {"
            + "  var c = el.querySelector('canvas'), chart = echarts.getInstanceByDom(el);"
            + "  if (!c || c.width === 0 || c.height === 0 || !chart) { return {id: el.id, painted: 0, coloured: 0, instance: !!chart}; }"
            + "  var canvas = c, d = " + READABLE_COPY + ".getImageData(0, 0, c.width, c.height).data, painted = 0, coloured = 0;"
            + "  var ratio = c.width / el.clientWidth, rect = chart.getModel().getComponent('grid', 0).coordinateSystem.getRect();"
            + "  for (var y = 0; y < c.height; y++) { for (var x = 0; x < c.width; x++) {"
            + "    var i = 4 * (y * c.width + x);"
            + "    if (d[i + 3] === 0) { continue; }"
            + "    painted++;"
            + "    var inGrid = x >= rect.x * ratio && x < (rect.x + rect.width) * ratio && y >= rect.y * ratio && y < (rect.y + rect.height) * ratio;"
            + "    if (inGrid && Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 60) { coloured++; }"
            + "  } }"
            + "  return {id: el.id, painted: painted / (c.width * c.height), coloured: coloured, instance: true};"
            + "});");
    assertTrue(!charts.isEmpty(), "the " + page + " page has charts");
    for (Map<String, Object> c : charts) {
      assertTrue((Boolean) c.get("instance"), page + ": " + c.get("id") + " has no ECharts instance");
      double painted = ((Number) c.get("painted")).doubleValue();
      assertTrue(painted >= MIN_PAINTED, page + ": " + c.get("id") + " is (nearly) blank: " + painted + " of its pixels painted");
      long coloured = ((Number) c.get("coloured")).longValue();
      assertTrue(coloured >= MIN_COLOURED, page + ": " + c.get("id") + " drew no series in its plot area (" + coloured + " coloured pixels)");
    }
  }

  /**
   * A 2D context over a copy of {@code canvas}: reading ECharts' own canvas repeatedly makes
   * Chromium log a willReadFrequently warning on the page under test.
   */
  private static final String READABLE_COPY =
      "(function (src) { var copy = document.createElement('canvas'); copy.width = src.width; copy.height = src.height;"
          + " var g = copy.getContext('2d', {willReadFrequently: true}); g.drawImage(src, 0, 0); return g; })(canvas)";

  private static final List<Integer> RED = List.of(0xcf, 0x22, 0x2e);
  private static final List<Integer> GREEN = List.of(0x1a, 0x7f, 0x37);

  /**
   * Scans the canvas along the reference line at {@code value} of the chart's x or y axis and
   * checks that the line's colour is there for a good part of the plot (dashed lines count too).
   */
  private void assertLineDrawn(String chartId, String axis, double value, List<Integer> rgb) {
    double share = ((Number) ((JavascriptExecutor) driver).executeScript(
        "var el = document.getElementById(arguments[0]), chart = echarts.getInstanceByDom(el), vertical = arguments[1] === 'x';"
            + "var px = chart.convertToPixel(vertical ? {xAxisIndex: 0} : {yAxisIndex: 0}, arguments[2]);"
            + "var canvas = el.querySelector('canvas'), ratio = canvas.width / el.clientWidth, ctx = " + READABLE_COPY + ";"
            + "var rect = chart.getModel().getComponent('grid').coordinateSystem.getRect(), rgb = arguments[3];"
            + "var from = Math.ceil((vertical ? rect.y : rect.x) * ratio), to = Math.floor((vertical ? rect.y + rect.height : rect.x + rect.width) * ratio);"
            + "var at = Math.round(px * ratio), hits = 0;"
            + "for (var i = from; i < to; i++) {"
            + "  var d = vertical ? ctx.getImageData(at - 2, i, 5, 1).data : ctx.getImageData(i, at - 2, 1, 5).data;"
            + "  for (var k = 0; k < 5; k++) {"
            + "    if (Math.abs(d[4 * k] - rgb[0]) < 48 && Math.abs(d[4 * k + 1] - rgb[1]) < 48 && Math.abs(d[4 * k + 2] - rgb[2]) < 48) { hits++; break; }"
            + "  }"
            + "}"
            + "return hits / Math.max(1, to - from);",
        chartId, axis, value, rgb)).doubleValue();
    assertTrue(share > 0.3, chartId + ": the reference line at " + axis + " = " + value + " is not drawn (" + share + " of its pixels)");
  }

  /** Rows equal checks.json's checks as (check, status, hint), in any order. */
  private void assertVerdictTableMatchesChecksJson() throws Exception {
    JsonNode checks = RunFixture.JSON.readTree(dir.resolve("checks.json").toFile()).path("checks");
    List<String> expected = new ArrayList<>();
    checks.forEach(c -> expected.add(c.path("check").asText() + " | " + c.path("status").asText() + " | " + c.path("hint").asText()));
    List<String> shown = new ArrayList<>();
    for (WebElement row : driver.findElements(By.cssSelector("#verdicts tbody tr"))) {
      shown.add(row.findElement(By.cssSelector("td.check")).getText() + " | "
          + row.findElement(By.cssSelector("td.status")).getAttribute("textContent") + " | "
          + row.findElement(By.cssSelector("td.hint")).getText());
    }
    assertEquals(expected.stream().sorted().toList(), shown.stream().sorted().toList());
  }

  @SuppressWarnings("unchecked")
  private List<String> chartIds() {
    return (List<String>) ((JavascriptExecutor) driver).executeScript(
        "return Array.prototype.map.call(document.querySelectorAll('div.chart'), function (el) { return el.id; });");
  }

  private String yAxisType(String chartId) {
    return (String) ((JavascriptExecutor) driver).executeScript(
        "return echarts.getInstanceByDom(document.getElementById(arguments[0])).getOption().yAxis[0].type;", chartId);
  }

  private List<String> texts(String css) {
    return driver.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
  }

  private void screenshot(String name) throws Exception {
    long height = ((Number) ((JavascriptExecutor) driver).executeScript("return document.documentElement.scrollHeight;")).longValue();
    driver.manage().window().setSize(new Dimension(1400, (int) Math.min(height + 40, 16000)));
    Path png = driver.getScreenshotAs(OutputType.FILE).toPath();
    Path out = Path.of(System.getProperty("sitter.basedir", "."), "target", "report-screenshots", name + ".png");
    Files.createDirectories(out.getParent());
    Files.copy(png, out, StandardCopyOption.REPLACE_EXISTING);
    assertTrue(Files.size(out) > 10_000, "screenshot " + out + " has content");
  }
}
