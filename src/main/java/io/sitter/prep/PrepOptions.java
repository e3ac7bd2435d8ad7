package io.sitter.prep;

import io.sitter.data.InputSpec;
import org.apache.hadoop.fs.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@code sitter prep} does.
 *
 * @param input what to read; null when the rows are given ({@link PrepJob#run(org.apache.spark.sql.SparkSession,
 *     io.sitter.data.LabeledData, PrepJob.Origin, PrepOptions)})
 * @param split train, validation and test fractions, each >= 0, train > 0, summing to 1
 * @param scale multiplies every value before normalization; 1.0 = none
 * @param out the directory to write (DIR/train, DIR/val, DIR/test, DIR/preprocessing.json), a
 *     qualified Hadoop path ({@link io.sitter.storage.Storage#resolve})
 * @param overwrite replace an existing {@code out}
 */
public record PrepOptions(
    InputSpec input,
    List<Double> split,
    long seed,
    boolean stratify,
    NormalizationMode mode,
    double scale,
    Path out,
    boolean overwrite) {
  public PrepOptions {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(out, "out");
    split = List.copyOf(split);
    if (split.size() != 3) {
      throw new IllegalArgumentException("split must be three fractions TRAIN,VAL,TEST, got " + split);
    }
    double sum = 0;
    for (double f : split) {
      if (!(f >= 0 && f <= 1)) {
        throw new IllegalArgumentException("split fractions must be in [0, 1], got " + split);
      }
      sum += f;
    }
    if (!(split.get(0) > 0) || Math.abs(sum - 1.0) > 1e-6) {
      throw new IllegalArgumentException("split fractions must sum to 1 with a train fraction > 0, got " + split);
    }
    if (!(Double.isFinite(scale) && scale > 0)) {
      throw new IllegalArgumentException("scale must be a finite number > 0, got " + scale);
    }
  }
}
