package io.sitter.cli;

import io.sitter.report.ReportJob;
import java.io.PrintWriter;
import io.sitter.storage.RunDirectory;
import io.sitter.storage.PathMessages;
import io.sitter.storage.Storage;
import org.apache.hadoop.fs.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sitter report RUN}: writes {@code RUN/report.html} from the files a run or search left
 * there. Needs no Spark session; exit 2 when RUN holds nothing to report or a file is malformed.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description =
        "Write RUN/report.html: one self-contained page (opens offline; attach it to a ticket) with the"
            + " babysitter's verdicts and the charts of a run (metrics.jsonl, checks.json, evaluation.json)"
            + " or of a search (trials.jsonl).")
final class ReportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "RUN", description = "A run or search directory: a local path or a Hadoop URI.")
  String run;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Storage storage = CliStorage.beforeSession();
    Path report = ReportJob.write(storage, storage.resolve("RUN", run));
    spec.commandLine().getOut().println(PathMessages.show(report));
    return ExitCodes.OK;
  }

  /**
   * Runs {@code job}, which writes {@code runDir}, then writes {@code runDir/report.html}: after
   * success, and after a babysitter abort (exit 3), when the report is what a person opens first.
   * Other failures (bad input, crashes) leave the directory as the job left it. A report that
   * cannot be written after an abort is attached to the abort as suppressed, never hiding it.
   */
  static <T> T thenReport(RunDirectory runDir, PrintWriter out, Supplier<T> job) {
    T result;
    try {
      result = job.get();
    } catch (RuntimeException e) {
      if (ExitCodes.of(e) == ExitCodes.ABORTED) {
        try {
          report(runDir, out);
        } catch (RuntimeException reportFailure) {
          e.addSuppressed(reportFailure);
        }
      }
      throw e;
    }
    report(runDir, out);
    return result;
  }

  private static void report(RunDirectory runDir, PrintWriter out) {
    if (runDir.isDirectory()) {
      out.println("report: " + PathMessages.show(ReportJob.write(runDir.files().storage(), runDir.path())));
      out.flush();
    }
  }
}
