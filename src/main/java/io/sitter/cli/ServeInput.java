package io.sitter.cli;

import io.sitter.config.BadInputException;
import io.sitter.data.DataReaders;
import io.sitter.data.InputFormat;
import io.sitter.data.InputSpec;
import io.sitter.data.LabeledData;
import io.sitter.serve.SavedModel;
import io.sitter.storage.PathMessages;
import io.sitter.storage.Storage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * Where {@code evaluate} and {@code predict} read from: raw data ({@code --input} and its format
 * flags), which goes through the model's saved preprocessing, or a split of a prep output
 * directory ({@code --data --split}), already normalized. Exactly one of the two.
 */
final class ServeInput {
  @ArgGroup(exclusive = false, heading = "Raw data (normalized with the model's saved preprocessing):%n")
  RawInputFlags raw;

  @ArgGroup(exclusive = false, heading = "Prepared data (a prep output directory, used as is):%n")
  PreparedSplitFlags prepared;

  /**
   * The format flags of {@link InputFlags}, as a group. picocli does not allow a mixin inside an
   * {@code @ArgGroup} (remkop/picocli#1793), and only a group can make {@code --input} and
   * {@code --data} alternatives, so the four options are declared again here with the same
   * names, defaults and converter.
   */
  static final class RawInputFlags {
    @Option(names = "--input", required = true, paramLabel = "PATH",
        description = "Input file or directory (CSV, LibSVM, Parquet, IDX images file, or a directory of the 4 MNIST/Fashion-MNIST IDX files: its test set is used): a local path or an hdfs://, s3a://, abfs://, gs://, file:// URI.")
    String input;

    @Option(names = "--labels", paramLabel = "FILE", description = "IDX labels file (default: found beside the images file); a path or URI.")
    String labels;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto", converter = InputFlags.FormatConverter.class,
        description = "auto|csv|libsvm|parquet|idx (default: ${DEFAULT-VALUE}, from the file name).")
    InputFormat format;

    @Option(names = "--label", paramLabel = "COLUMN", defaultValue = "last",
        description = "Label column: last|first|<header name>|<0-based index>|none (default: ${DEFAULT-VALUE}).")
    String label;

    /** As {@link InputFlags#toInputSpec()}. */
    InputSpec toInputSpec() {
      Storage storage = CliStorage.beforeSession();
      var inputPath = storage.resolve("--input", input);
      var labelsPath = labels == null ? null : storage.resolve("--labels", labels);
      try {
        return new InputSpec(inputPath, labelsPath, format, label);
      } catch (IllegalArgumentException e) {
        throw new BadInputException("--label: " + e.getMessage(), e);
      }
    }

    /**
     * The input's rows normalized for {@code model}: labels are looked up among the model's
     * classes (an unknown one is bad input) and every row must have the model's feature count.
     * For an IDX train+test directory, its test set: that is the data a model trained on the
     * directory has not seen.
     */
    Dataset<Row> normalizedRows(SparkSession spark, SavedModel model, boolean needLabels) {
      InputSpec spec = toInputSpec();
      if (needLabels && !spec.hasLabels()) {
        throw new BadInputException("--label none: evaluation needs labels (use predict for unlabelled data)");
      }
      LabeledData data = DataReaders.read(spark, spec, model.classes(), model.numFeatures());
      Dataset<Row> rows = data.predefinedTest() != null ? data.predefinedTest() : data.rows();
      return model.preprocessing().apply(rows);
    }

    String describe() {
      return PathMessages.show(CliStorage.beforeSession().resolve("--input", input));
    }
  }

  /** Normalized rows with features, index and label. */
  Dataset<Row> labelledRows(SparkSession spark, SavedModel model) {
    return raw != null ? raw.normalizedRows(spark, model, true) : prepared.read(spark, model);
  }

  /** Normalized rows with features and index (labels, if any, are ignored). */
  Dataset<Row> rows(SparkSession spark, SavedModel model) {
    return raw != null ? raw.normalizedRows(spark, model, false) : prepared.read(spark, model);
  }

  String describe() {
    return raw != null ? raw.describe() : prepared.describe();
  }
}
