package io.sitter.cli;

import picocli.CommandLine.Command;

/** {@code sitter}: the top command; each job is a subcommand. */
@Command(
    name = "sitter",
    mixinStandardHelpOptions = true,
    versionProvider = Versions.class,
    description = "Distributed training of batch-normalized ReLU networks on Spark, babysat.",
    subcommands = {StatsCommand.class, PrepCommand.class, CheckCommand.class, TrainCommand.class, EvaluateCommand.class,
        PredictCommand.class, RunCommand.class, SearchCommand.class, ReportCommand.class})
final class SitterCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a command (see sitter --help)");
  }
}
