package io.sitter.data;

import io.sitter.config.BadInputException;
import io.sitter.storage.PathMessages;
import io.sitter.storage.Storage;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Reads any supported input into validated rows {@code index long, features array<double>, label
 * int} ({@link DataSchema#VALUES}: the values as written; float32 only after normalization). Bad input (missing file, non-numeric value, ragged row, NaN/Inf, bad label, empty input,
 * wrong IDX magic number) throws {@link BadInputException} naming the file and row, whether it is
 * found on the driver or inside a Spark task.
 *
 * <p>Inputs are Hadoop paths (local, {@code hdfs://}, object stores) reached with the session's
 * Hadoop configuration. The driver reads only metadata (listings, a CSV's first line, IDX
 * headers); the data is read by executor tasks.
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
    Storage storage = storage(spark);
    checkExists(storage, spec);
    InputFormat format = spec.format() == InputFormat.AUTO ? detect(storage, spec.input()) : spec.format();
    String source = format.cliName() + " " + spec.inputName();
    LabeledData data;
    if (format == InputFormat.IDX) {
      IdxReader.Result r = IdxReader.read(spark, storage, spec, knownClasses, expectedFeatures);
      data = new LabeledData(r.rows(), r.test(), r.numFeatures(), r.classes(), false, source);
    } else {
      TextReader.Raw raw =
          switch (format) {
            case CSV -> TextReader.csv(spark, storage, spec);
            case LIBSVM -> TextReader.libsvm(spark, storage, spec, expectedFeatures);
            case PARQUET -> ParquetReader.read(spark, storage, spec, expectedFeatures);
            default -> throw new IllegalStateException("unhandled format " + format);
          };
      String rowKind = format == InputFormat.PARQUET ? "row" : "line";
      LabelMapper.Mapped m = LabelMapper.map(spark, raw.rows(), spec.hasLabels(), knownClasses, rowKind);
      data = new LabeledData(m.rows(), null, raw.numFeatures(), m.classes(), m.labelsWereStrings(), source);
    }
    if (expectedFeatures > 0 && data.numFeatures() != expectedFeatures) {
      throw new BadInputException(spec.inputName() + ": rows have " + data.numFeatures() + " features, expected " + expectedFeatures);
    }
    return data;
  }

  /**
   * Fails unless the input exists: a check a command makes before it starts Spark.
   *
   * @throws BadInputException naming the input when it does not exist or its file system cannot
   *     be reached
   */
  public static void checkExists(Storage storage, InputSpec spec) {
    if (InputFiles.status(storage, "input", spec.input()) == null) {
      throw new BadInputException("input " + spec.inputName() + " does not exist");
    }
  }

  /** The format {@code spec} names, or the one {@link DataReaders#read} detects for it. */
  public static InputFormat format(SparkSession spark, InputSpec spec) {
    return spec.format() == InputFormat.AUTO ? detect(storage(spark), spec.input()) : spec.format();
  }

  private static Storage storage(SparkSession spark) {
    return Storage.of(spark.sparkContext().hadoopConfiguration());
  }

  /** The format from a file's name, or from what a directory holds. */
  static InputFormat detect(Storage storage, Path input) {
    FileStatus status = InputFiles.status(storage, "input", input);
    if (status != null && status.isDirectory()) {
      if (IdxReader.isStandardDirectory(storage, input)) {
        return InputFormat.IDX;
      }
      List<Path> files = InputFiles.dataFiles(storage, input);
      InputFormat first = null;
      for (Path f : files) {
        InputFormat k = byName(f);
        if (k != null && first == null) {
          first = k;
        }
      }
      if (first == null) {
        throw new BadInputException("cannot tell the format of the files in " + PathMessages.show(input) + "; give --format csv|libsvm|parquet|idx");
      }
      return first;
    }
    InputFormat k = byName(input);
    if (k == null) {
      throw new BadInputException("cannot tell the format of " + PathMessages.show(input) + " from its name; give --format csv|libsvm|parquet|idx");
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
