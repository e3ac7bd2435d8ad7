package io.sitter.report;

import io.sitter.TestFiles;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * scripts/bench/report.sh: how long writing and opening report.html take for a long run. Writes
 * the medians of several repetitions as JSON. Not a test: speed is measured here, never asserted.
 */
final class ReportBench {
  private ReportBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = Integer.parseInt(args[0]);
    int layers = Integer.parseInt(args[1]);
    Path out = Path.of(args[2]);
    int repeats = 3;
    Path dir = Files.createTempDirectory("sitter-report-bench");
    RunFixture fixture = new RunFixture();
    fixture.rounds = rounds;
    fixture.roundsPerEpoch = Math.max(1, rounds / 10);
    fixture.hiddenLayers = layers - 1;
    fixture.write(dir);

    List<Double> writeSeconds = new ArrayList<>();
    Path report = null;
    for (int i = 0; i < repeats; i++) {
      long t0 = System.nanoTime();
      report = TestFiles.report(dir);
      writeSeconds.add((System.nanoTime() - t0) / 1e9);
    }

    ChromeOptions options = new ChromeOptions();
    options.setBinary(System.getProperty("sitter.chromium", "/usr/bin/chromium"));
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + dir.resolve("chromium"), "--window-size=1400,1000");
    File driverExe = new File(System.getProperty("sitter.chromedriver", "/usr/bin/chromedriver"));
    ChromeDriver driver = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(driverExe).build(), options);
    List<Double> openSeconds = new ArrayList<>();
    try {
      for (int i = 0; i < repeats; i++) {
        driver.get("about:blank");
        driver.get(report.toUri().toString());
        // navigation start to the end of the load event: the inline scripts (ECharts, every chart) have run.
        Number ms = (Number) ((JavascriptExecutor) driver).executeScript(
            "var t = performance.getEntriesByType('navigation')[0]; return t.loadEventEnd - t.startTime;");
        openSeconds.add(ms.doubleValue() / 1000);
      }
    } finally {
      driver.quit();
    }

    Map<String, Object> result = new LinkedHashMap<>();
    result.put("benchmark", "report");
    result.put("rounds", rounds);
    result.put("layers", layers);
    result.put("reportBytes", Files.size(report));
    result.put("metricsJsonlBytes", Files.size(dir.resolve("metrics.jsonl")));
    result.put("writeSecondsMedian", median(writeSeconds));
    result.put("openSecondsMedian", median(openSeconds));
    result.put("writeSeconds", writeSeconds);
    result.put("openSeconds", openSeconds);
    result.put("maxPointsPerSeries", ChartData.MAX_POINTS);
    Files.createDirectories(out.toAbsolutePath().getParent());
    RunFixture.JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), result);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
