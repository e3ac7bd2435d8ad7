package io.sitter.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitter.config.BabysitConfig;
import io.sitter.config.BadInputException;
import io.sitter.config.ConfigLoader;
import io.sitter.storage.RunDirectory;
import io.sitter.storage.Storage;
import org.apache.hadoop.fs.Path;
import java.time.Instant;
import java.util.List;

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
  private ReportJob() {}

  /**
   * Reads {@code runDir} and writes {@code runDir/report.html} atomically ({@link RunDirectory}),
   * so an earlier report is replaced whole or not at all.
   *
   * @return the report's path
   * @throws BadInputException when {@code runDir} has nothing to report or a file in it is malformed
   *     (the message names the directory or file)
   */
  public static Path write(Storage storage, Path runDir) {
    RunDirectory dir = RunDirectory.at(storage, runDir);
    Run run = RunReader.read(dir);
    return dir.writeReport(render(run, Instant.now()));
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
      throw new BadInputException(new Path(run.dir(), RunDirectory.CONFIG) + ": no 'config' object");
    }
    try {
      return ConfigLoader.bindSaved(config).babysit();
    } catch (BadInputException e) {
      throw new BadInputException(new Path(run.dir(), RunDirectory.CONFIG) + ": " + e.getMessage(), e);
    }
  }
}
