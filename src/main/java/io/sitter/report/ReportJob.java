package io.sitter.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitter.config.BabysitConfig;
import io.sitter.config.BadInputException;
import io.sitter.config.ConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Writes {@code RUN/report.html}: one self-contained page (scripts, styles and data inlined,
 * nothing fetched) from the files a run or search wrote (docs/formats.md). Reads files only; no
 * Spark or DL4J.
 *
 * <p>Charts are drawn by <a href="https://echarts.apache.org">Apache ECharts</a>, inlined from
 * the {@code org.webjars:echarts} jar. Chosen for how the page reads: log axes (update ratios,
 * learning rates, loss on a toggle), shaded bands and reference lines ({@code markArea} for the
 * healthy update-ratio band, {@code markLine} for the abort line, ln(C), 1e-3 and the probe's
 * rates) are built-in options; hover tooltips show exact values, and zoom/pan on long runs come
 * with {@code dataZoom}; heatmaps with a colour scale serve the confusion matrix. It draws on
 * canvas, so thousands of points stay quick. Vega-Lite (the other candidate) reads as well but
 * needs three scripts (vega, vega-lite, vega-embed) that are not published together as a
 * webjar, and compiles specs in the browser, which is slower to open for many charts.
 *
 * <p>A run with NaN/Inf metrics, a single round or an abort still renders: the banners at the
 * top say what happened, and non-finite values are gaps in the curves.
 */
public final class ReportJob {
  /** The file name, in the run directory. */
  public static final String REPORT = "report.html";

  private ReportJob() {}

  /**
   * Reads {@code runDir} and writes {@code runDir/report.html} through a temporary sibling and an
   * atomic rename, so an earlier report is replaced whole or not at all.
   *
   * @return the report's path
   * @throws BadInputException when {@code runDir} has nothing to report or a file in it is malformed
   *     (the message names the directory or file)
   */
  public static Path write(Path runDir) {
    Run run = RunFiles.read(runDir);
    String page = render(run, Instant.now());
    Path target = runDir.resolve(REPORT);
    try {
      // A sibling, so the rename stays on one file system; not createTempFile, whose 0600 mode
      // would make the report unreadable to the colleagues it is meant for.
      Path tmp = runDir.resolve("." + REPORT + "." + UUID.randomUUID() + ".tmp");
      try {
        Files.writeString(tmp, page, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
    return target;
  }

  static String render(Run run, Instant generated) {
    BabysitConfig babysit = babysit(run);
    ObjectNode data = ChartData.of(run, babysit);
    List<Banners.Banner> banners = Banners.of(run);
    return ReportPage.render(run, data, banners, generated);
  }

  /** The run's babysitter settings (abort factor, healthy band), or the defaults when config.json is absent. */
  static BabysitConfig babysit(Run run) {
    if (run.config().isEmpty()) {
      return ConfigLoader.defaults().babysit();
    }
    JsonNode config = run.config().get().path("config");
    if (!config.isObject()) {
      throw new BadInputException(run.dir().resolve(RunFiles.CONFIG) + ": no 'config' object");
    }
    try {
      return ConfigLoader.bind(config).babysit();
    } catch (BadInputException e) {
      throw new BadInputException(run.dir().resolve(RunFiles.CONFIG) + ": " + e.getMessage(), e);
    }
  }
}
