package io.sitter.data;

import io.sitter.config.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * Reads any supported input into validated rows {@code index long, features array<float>, label
 * int}. Bad input (missing file, non-numeric value, ragged row, NaN/Inf, bad label, empty input,
 * wrong IDX magic number) throws {@link BadInputException} naming the file and row, whether it is
 * found on the driver or inside a Spark task.
 *
 * <p>Readers cache nothing: in a long-lived session ({@code sitter run}) a cached input would stay
 * in memory with no owner to release it. A job that passes over the rows more than once persists
 * what it reuses itself ({@code PrepJob} caches the split rows); text inputs are then parsed once
 * more, which costs less than holding them twice.
 */
public final class DataReaders {
  private DataReaders() {}

  /**
   * @param knownClasses a saved model's classes (labels are looked up among them, an unknown one
   *     is bad input), or null to derive the classes from the data
   */
  public static LabeledData read(SparkSession spark, InputSpec spec, List<String> knownClasses) {
    return read(spark, spec, knownClasses, 0);
  }

  /**
   * As {@link #read(SparkSession, InputSpec, List)}, for data a saved model will see: every row
   * must have {@code expectedFeatures} features (LibSVM rows are widened to it).
   *
   * @param expectedFeatures the model's feature count, or 0 when unknown
   */
  public static LabeledData read(SparkSession spark, InputSpec spec, List<String> knownClasses, int expectedFeatures) {
    if (!Files.exists(spec.input())) {
      throw new BadInputException("input " + spec.input() + " does not exist");
    }
    InputFormat format = spec.format() == InputFormat.AUTO ? detect(spec.input()) : spec.format();
    String source = format.cliName() + " " + spec.input();
    LabeledData data;
    if (format == InputFormat.IDX) {
      IdxReader.Result r = IdxReader.read(spark, spec, knownClasses, expectedFeatures);
      data = new LabeledData(r.rows(), r.test(), r.numFeatures(), r.classes(), false, source);
    } else {
      TextReader.Raw raw =
          switch (format) {
            case CSV -> TextReader.csv(spark, spec);
            case LIBSVM -> TextReader.libsvm(spark, spec, expectedFeatures);
            case PARQUET -> ParquetReader.read(spark, spec, expectedFeatures);
            default -> throw new IllegalStateException("unhandled format " + format);
          };
      String rowKind = format == InputFormat.PARQUET ? "row" : "line";
      LabelMapper.Mapped m = LabelMapper.map(spark, raw.rows(), spec.hasLabels(), knownClasses, rowKind);
      data = new LabeledData(m.rows(), null, raw.numFeatures(), m.classes(), m.labelsWereStrings(), source);
    }
    if (expectedFeatures > 0 && data.numFeatures() != expectedFeatures) {
      throw new BadInputException(spec.input() + ": rows have " + data.numFeatures() + " features, expected " + expectedFeatures);
    }
    return data;
  }

  /** The format from a file's name, or from what a directory holds. */
  public static InputFormat detect(Path input) {
    if (Files.isDirectory(input)) {
      if (IdxReader.isStandardDirectory(input)) {
        return InputFormat.IDX;
      }
      List<Path> files = InputFiles.dataFiles(input);
      InputFormat first = null;
      for (Path f : files) {
        InputFormat k = byName(f);
        if (k != null && first == null) {
          first = k;
        }
      }
      if (first == null) {
        throw new BadInputException("cannot tell the format of the files in " + input + "; give --format csv|libsvm|parquet|idx");
      }
      return first;
    }
    InputFormat k = byName(input);
    if (k == null) {
      throw new BadInputException("cannot tell the format of " + input + " from its name; give --format csv|libsvm|parquet|idx");
    }
    return k;
  }

  private static InputFormat byName(Path file) {
    String name = InputFiles.baseName(file);
    if (name.endsWith(".csv") || name.endsWith(".txt")) {
      return InputFormat.CSV;
    }
    if (name.endsWith(".libsvm") || name.endsWith(".svm") || name.endsWith(".svmlight")) {
      return InputFormat.LIBSVM;
    }
    if (name.endsWith(".parquet")) {
      return InputFormat.PARQUET;
    }
    if (name.contains("-ubyte") || name.endsWith(".idx") || name.matches(".*idx[0-9].*")) {
      return InputFormat.IDX;
    }
    return null;
  }
}
