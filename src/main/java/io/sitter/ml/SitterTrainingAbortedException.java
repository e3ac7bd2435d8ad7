package io.sitter.ml;

import io.sitter.config.TrainingAbortedException;
import io.sitter.metrics.DiagnosisItem;
import java.util.List;

/**
 * {@link SitterClassifier#fit} stopped because the babysitter aborted training (the loss became
 * NaN/infinite or exceeded {@code abortLossFactor} times the initial loss). The message gives the
 * verdict and the diagnosis; {@link #diagnosis()} holds the ranked causes as {@code checks.json}
 * does, and {@link #runDir()} the run directory when {@code runDir} was set (metrics, checks, report).
 */
public class SitterTrainingAbortedException extends TrainingAbortedException {
  private static final long serialVersionUID = 1L;
  private final transient List<DiagnosisItem> diagnosis;
  private final String runDir;

  public SitterTrainingAbortedException(String message, List<DiagnosisItem> diagnosis, String runDir, Throwable cause) {
    super(message);
    initCause(cause);
    this.diagnosis = List.copyOf(diagnosis);
    this.runDir = runDir;
  }

  /** The babysitter's diagnosis, most likely cause first (empty when it found none). */
  public List<DiagnosisItem> diagnosis() {
    return diagnosis;
  }

  /** Where the run's files are, or null when the run went to a temporary directory (deleted). */
  public String runDir() {
    return runDir;
  }
}
