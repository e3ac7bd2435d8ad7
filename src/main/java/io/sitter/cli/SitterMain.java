package io.sitter.cli;

import io.sitter.config.BadInputException;
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
    int code = execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    // The command has said how it ended. After a cancelled job, Spark's shutdown still logs errors
    // about executors it gave up on (RejectedExecutionException from its RPC inbox, seen on the
    // standalone cluster), which would push the failure's hint off the terminal's last line.
    // Every logger, not just Spark's: a netty write failure logged as io.netty (through the console
    // appender's own handle on stderr) still followed the hint in a fresh-clone ClusterIT run.
    Configurator.setAllLevels(org.apache.logging.log4j.LogManager.ROOT_LOGGER_NAME, Level.OFF);
    // Some of it bypasses logging: Scala future callbacks print RejectedExecutionException traces
    // to System.err directly while Spark's thread pools shut down.
    System.err.flush();
    System.setErr(new PrintStream(OutputStream.nullOutputStream()));
    // Spark's non-daemon threads would otherwise keep the JVM alive after an error.
    System.exit(code);
  }

  /** Runs one command line and returns its exit code; tests call this with captured writers. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = commandLine(out, err);
    return cli.execute(args);
  }

  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new SitterCommand());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(new ExitCodes());
    cli.setExecutionExceptionHandler(SitterMain::handle);
    return cli;
  }

  /** Bad input and aborts get one plain line; other failures get the stack trace too. */
  private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    int code = ExitCodes.of(e);
    if (code == ExitCodes.BAD_INPUT) {
      err.println("sitter " + cmd.getCommandName() + ": " + BadInputException.find(e).map(Throwable::getMessage).orElse(e.getMessage()));
    } else if (code == ExitCodes.ABORTED) {
      err.println("sitter " + cmd.getCommandName() + ": training aborted: " + rootMessage(e));
    } else {
      err.println("sitter " + cmd.getCommandName() + " failed: " + rootMessage(e));
      e.printStackTrace(err);
      // The hint last, so it is what a user reads at the bottom of the terminal.
      FailureHints.of(e).ifPresent(hint -> err.println("sitter " + cmd.getCommandName() + ": " + hint));
    }
    err.flush();
    return code;
  }

  private static String rootMessage(Throwable e) {
    Throwable c = e;
    while (c.getCause() != null && c.getMessage() == null) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.getClass().getName() : c.getMessage();
  }
}
