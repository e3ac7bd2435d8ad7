package io.sitter.cli;

import io.sitter.data.InputFormat;
import io.sitter.data.InputSpec;
import io.sitter.storage.Storage;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --input --labels --format --label}: what to read. A mixin for every command that reads data. */
public final class InputFlags {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(names = "--input", required = true, paramLabel = "PATH",
      description = "Input file or directory (CSV, LibSVM, Parquet, IDX images file, or a directory of the 4 MNIST/Fashion-MNIST IDX files): a local path or an hdfs://, s3a://, abfs://, gs://, file:// URI.")
  String input;

  @Option(names = "--labels", paramLabel = "FILE", description = "IDX labels file (default: found beside the images file); a path or URI.")
  String labels;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto", converter = FormatConverter.class,
      description = "auto|csv|libsvm|parquet|idx (default: ${DEFAULT-VALUE}, from the file name).")
  InputFormat format;

  @Option(names = "--label", paramLabel = "COLUMN", defaultValue = "last",
      description = "Label column: last|first|<header name>|<0-based index>|none (default: ${DEFAULT-VALUE}).")
  String label;

  /**
   * The input as the readers take it: each path resolved by {@link CliStorage#beforeSession()} under
   * its flag's name, so a bad one is reported as {@code --input: ...}.
   */
  public InputSpec toInputSpec() {
    Storage storage = CliStorage.beforeSession();
    var inputPath = storage.resolve("--input", input);
    var labelsPath = labels == null ? null : storage.resolve("--labels", labels);
    try {
      return new InputSpec(inputPath, labelsPath, format, label);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(mixee.commandLine(), "--label: " + e.getMessage());
    }
  }

  static final class FormatConverter implements CommandLine.ITypeConverter<InputFormat> {
    @Override
    public InputFormat convert(String value) {
      for (InputFormat f : InputFormat.values()) {
        if (f.cliName().equals(value.trim().toLowerCase(Locale.ROOT))) {
          return f;
        }
      }
      throw new CommandLine.TypeConversionException("'" + value + "' is not one of auto, csv, libsvm, parquet, idx");
    }
  }
}
