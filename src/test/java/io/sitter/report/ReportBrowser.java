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
 * Headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) driven through
 * Selenium, with the checks every report page must pass: nothing fetched, no console errors,
 * every chart container drawn, and a full-page screenshot under {@code target/report-screenshots/}.
 *
 * <p>The driver and browser are given by path, so Selenium Manager never tries to download one;
 * a machine without them fails with the command that installs them.
 */
final class ReportBrowser implements AutoCloseable {
  static final String CHROMIUM = System.getProperty("sitter.chromium", "/usr/bin/chromium");
  static final String CHROMEDRIVER = System.getProperty("sitter.chromedriver", "/usr/bin/chromedriver");
  static final String INSTALL = "apt-get update && apt-get install -y chromium chromium-driver";

  /** A canvas counts as drawn when at least this share of its pixels is painted (axes alone are less). */
  private static final double MIN_PAINTED = 0.01;

  /** Coloured pixels a chart's plot area needs: a single point's symbol has about 40. */
  private static final long MIN_COLOURED = 12;

  /**
   * A 2D context over a copy of {@code canvas}: reading ECharts' own canvas repeatedly makes
   * Chromium log a willReadFrequently warning on the page under test.
   */
  private static final String READABLE_COPY =
      "(function (src) { var copy = document.createElement('canvas'); copy.width = src.width; copy.height = src.height;"
          + " var g = copy.getContext('2d', {willReadFrequently: true}); g.drawImage(src, 0, 0); return g; })(canvas)";

  static final List<Integer> RED = List.of(0xcf, 0x22, 0x2e);
  static final List<Integer> GREEN = List.of(0x1a, 0x7f, 0x37);

  final ChromeDriver driver;

  /** @param profile an empty directory for Chromium's profile */
  ReportBrowser(Path profile) {
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

  @Override
  public void close() {
    driver.quit();
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  /** Loads the page, checks that it fetched nothing, its console and every chart, and writes a full-page screenshot. */
  void open(Path report, String name) throws Exception {
    driver.manage().window().setSize(new Dimension(1400, 1000));
    driver.get(report.toUri().toString());
    assertEquals(List.of(), script("return performance.getEntriesByType('resource').map(function (r) { return r.name; });"),
        "the " + name + " page loads nothing besides itself");
    assertNoConsoleErrors(name);
    assertEveryChartDrawn(name);
    screenshot(name);
  }

  /** Errors fail the test; warnings are printed (their wording changes between Chromium versions). */
  void assertNoConsoleErrors(String page) {
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
  void assertEveryChartDrawn(String page) {
    List<Map<String, Object>> charts = (List<Map<String, Object>>) script(
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
   * Scans the canvas along the reference line at {@code value} of the chart's x or y axis and
   * checks that the line's colour is there for a good part of the plot (dashed lines count too).
   */
  void assertLineDrawn(String chartId, String axis, double value, List<Integer> rgb) {
    double share = ((Number) script(
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
  void assertVerdictTableMatches(Path checksJson) throws Exception {
    JsonNode checks = RunFixture.JSON.readTree(checksJson.toFile()).path("checks");
    List<String> expected = new ArrayList<>();
    checks.forEach(c -> expected.add(c.path("check").asText() + (c.path("layer").isTextual() ? " " + c.path("layer").asText() : "")
        + " | " + c.path("status").asText() + " | " + c.path("hint").asText()));
    List<String> shown = new ArrayList<>();
    for (WebElement row : driver.findElements(By.cssSelector("#verdicts tbody tr"))) {
      shown.add(row.findElement(By.cssSelector("td.check")).getAttribute("textContent") + " | "
          + row.findElement(By.cssSelector("td.status")).getAttribute("textContent") + " | "
          + row.findElement(By.cssSelector("td.hint")).getText());
    }
    assertEquals(expected.stream().sorted().toList(), shown.stream().sorted().toList());
  }

  @SuppressWarnings("unchecked")
  List<String> chartIds() {
    return (List<String>) script(
        "return Array.prototype.map.call(document.querySelectorAll('div.chart'), function (el) { return el.id; });");
  }

  String yAxisType(String chartId) {
    return (String) script(
        "return echarts.getInstanceByDom(document.getElementById(arguments[0])).getOption().yAxis[0].type;", chartId);
  }

  List<String> texts(String css) {
    return driver.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
  }

  void screenshot(String name) throws Exception {
    long height = ((Number) script("return document.documentElement.scrollHeight;")).longValue();
    driver.manage().window().setSize(new Dimension(1400, (int) Math.min(height + 40, 16000)));
    Path png = driver.getScreenshotAs(OutputType.FILE).toPath();
    Path out = Path.of(System.getProperty("sitter.basedir", "."), "target", "report-screenshots", name + ".png");
    Files.createDirectories(out.getParent());
    Files.copy(png, out, StandardCopyOption.REPLACE_EXISTING);
    assertTrue(Files.size(out) > 10_000, "screenshot " + out + " has content");
  }
}
