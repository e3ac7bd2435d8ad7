package io.sitter.cli;

import io.sitter.config.BadInputException;
import io.sitter.config.TrainingAbortedException;
import picocli.CommandLine;

/** The exit-code contract: 0 success, 1 failure, 2 bad input or usage, 3 aborted by the babysitter. */
final class ExitCodes implements CommandLine.IExitCodeExceptionMapper {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int BAD_INPUT = 2;
  static final int ABORTED = 3;

  @Override
  public int getExitCode(Throwable t) {
    return of(t);
  }

  static int of(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof TrainingAbortedException) {
        return ABORTED;
      }
      if (c instanceof CommandLine.ParameterException) {
        return BAD_INPUT;
      }
    }
    return BadInputException.find(t).isPresent() ? BAD_INPUT : FAILED;
  }
}
