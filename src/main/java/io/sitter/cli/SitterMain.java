package io.sitter.cli;

import io.sitter.config.BadInputException;
import io.sitter.storage.NoSpaceLeftException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine;

/**
 * The application's entry point for {@code spark-submit} and {@code scripts/sitter}; the only
 * place that calls {@link System#exit}.
 */
public final class SitterMain {
  private SitterMain() {}

  public static void main(String[] args) {
    // Both writers hold the process's own stdout and stderr, so they still reach the terminal after
    // quietEverythingElse() points System.err elsewhere.
    int code = execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), SitterMain::quietEverythingElse);
    quietEverythingElse();
    if (inYarnApplicationMaster()) {
      // Spark's ApplicationMaster runs this main in a thread and reports the application's final
      // status when it returns: System.exit here, even exit(0), ended the container before that
      // report, so YARN counted a finished training as a failed attempt and started a second one,
      // which failed on the first attempt's run directory ("--out ... already exists"). A failure
      // is thrown instead, so the AM reports FAILED; the AM stops Spark and exits itself.
      if (code != ExitCodes.OK) {
        throw new IllegalStateException("sitter exited with code " + code + " (the reason is above)");
      }
      return;
    }
    // Spark's non-daemon threads would otherwise keep the JVM alive after an error.
    System.exit(code);
  }

  /**
   * Whether this is the driver of a YARN application in cluster deploy mode, run inside the
   * application master (which sets these properties for the user class; in client mode and on
   * Kubernetes the driver is SparkSubmit's own process).
   */
  static boolean inYarnApplicationMaster() {
    return "cluster".equals(System.getProperty("spark.submit.deployMode"))
        && System.getProperty("spark.master", "").startsWith("yarn");
  }

  /**
   * From here on only sitter's own report reaches stderr. Called before a failure is reported and
   * again once the command has returned: after a failed job Spark's asynchronous clean-up keeps
   * logging for a while (BlockManagerMasterEndpoint "Error trying to remove RDD" with a netty
   * stack trace, once the executor that held it is dead; RejectedExecutionException traces while
   * its RPC inbox shuts down), and on the standalone cluster under load such a trace arrived
   * between the failure's hint and the end of the command, so the hint was no longer the last
   * line. Every logger, not just Spark's; and System.err itself, because Scala future callbacks
   * print their traces to it directly, and log4j's console appender follows it (log4j2.properties,
   * {@code follow = true}), so an event that passed its level check just before is dropped too.
   */
  private static void quietEverythingElse() {
    Configurator.setAllLevels(org.apache.logging.log4j.LogManager.ROOT_LOGGER_NAME, Level.OFF);
    System.err.flush();
    System.setErr(new PrintStream(OutputStream.nullOutputStream()));
  }

  /** Runs one command line and returns its exit code; tests call this with captured writers. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    return execute(args, out, err, () -> {});
  }

  /** As {@link #execute(String[], PrintWriter, PrintWriter)}; {@code beforeFailureReport} runs before a failure is reported. */
  static int execute(String[] args, PrintWriter out, PrintWriter err, Runnable beforeFailureReport) {
    return commandLine(out, err, beforeFailureReport).execute(args);
  }

  static CommandLine commandLine(PrintWriter out, PrintWriter err, Runnable beforeFailureReport) {
    CommandLine cli = new CommandLine(new SitterCommand());
    reflowDescriptions(cli);
    // As wide as the terminal (picocli asks it; 80 columns when output is not a terminal).
    cli.setUsageHelpAutoWidth(true);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(new ExitCodes());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      beforeFailureReport.run();
      return handle(e, cmd);
    });
    return cli;
  }

  /**
   * Joins each command's description into paragraphs (an empty line in the source separates two)
   * so picocli wraps them at the terminal's width. Picocli prints every element of a {@code
   * description} array on a line of its own, so source lines wrapped for the editor became lines
   * broken in mid-sentence in {@code --help}.
   */
  static void reflowDescriptions(CommandLine cli) {
    var usage = cli.getCommandSpec().usageMessage();
    java.util.List<String> paragraphs = new java.util.ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : usage.description()) {
      if (line.isBlank()) {
        if (current.length() > 0) {
          paragraphs.add(current.toString());
          current.setLength(0);
        }
        paragraphs.add("");
      } else {
        current.append(current.length() == 0 ? "" : " ").append(line.strip());
      }
    }
    if (current.length() > 0) {
      paragraphs.add(current.toString());
    }
    usage.description(paragraphs.toArray(String[]::new));
    cli.getSubcommands().values().forEach(SitterMain::reflowDescriptions);
  }

  /** Bad input and aborts get one plain line; other failures get the stack trace too. */
  private static int handle(Exception e, CommandLine cmd) {
    PrintWriter err = cmd.getErr();
    int code = ExitCodes.of(e);
    if (code == ExitCodes.BAD_INPUT) {
      err.println("sitter " + cmd.getCommandName() + ": " + BadInputException.find(e).map(Throwable::getMessage).orElse(e.getMessage()));
    } else if (code == ExitCodes.ABORTED) {
      err.println("sitter " + cmd.getCommandName() + ": training aborted: " + rootMessage(e));
    } else if (NoSpaceLeftException.isNoSpace(e)) {
      // A full disk: the message (naming the path when the writer knew it) is all there is to say.
      err.println("sitter " + cmd.getCommandName() + " failed: " + noSpaceMessage(e));
    } else {
      err.println("sitter " + cmd.getCommandName() + " failed: " + rootMessage(e));
      e.printStackTrace(err);
      // The hint last, so it is what a user reads at the bottom of the terminal.
      FailureHints.of(e).ifPresent(hint -> err.println("sitter " + cmd.getCommandName() + ": " + hint));
    }
    err.flush();
    return code;
  }

  private static String noSpaceMessage(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof NoSpaceLeftException n) {
        return n.getMessage();
      }
    }
    return "no space left on device: " + rootMessage(e);
  }

  private static String rootMessage(Throwable e) {
    Throwable c = e;
    while (c.getCause() != null && c.getMessage() == null) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.getClass().getName() : c.getMessage();
  }
}
