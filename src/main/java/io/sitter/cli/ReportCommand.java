package io.sitter.cli;

import io.sitter.report.ReportJob;
import java.nio.file.Path;
import java.util.concurrent.Callable;
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
  @Parameters(index = "0", paramLabel = "RUN", description = "A run or search directory.")
  Path run;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Path report = ReportJob.write(run);
    spec.commandLine().getOut().println(report);
    return ExitCodes.OK;
  }
}
