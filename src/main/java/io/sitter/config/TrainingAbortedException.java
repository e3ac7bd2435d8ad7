package io.sitter.config;

/**
 * The babysitter stopped training (NaN/Inf loss, or loss above the configured multiple of the
 * initial loss). Everything written so far is kept; the CLI maps this to exit code 3.
 */
public class TrainingAbortedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TrainingAbortedException(String verdict) {
    super(verdict);
  }
}
