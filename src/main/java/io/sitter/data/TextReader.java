package io.sitter.data;

import io.sitter.config.BadInputException;
import io.sitter.storage.PathMessages;
import io.sitter.storage.Storage;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * CSV and LibSVM through Spark's text reading on the executors ({@code textFile}, gzip or not,
 * any Hadoop file system); the driver only lists the files and reads each CSV file's first line.
 * Each file's lines are numbered with {@code zipWithIndex} so errors name the 1-based line, and
 * the parsed rows of all files are numbered again to give the 0-based row {@code index}.
 *
 * <p>LibSVM is parsed here rather than with Spark's {@code libsvm} source: that source lives in
 * spark-mllib (+37 MB, not otherwise needed) and its errors name no line. The format is Spark's:
 * 1-based ascending indices, the feature count is the largest index unless the caller knows it.
 */
final class TextReader {
  private TextReader() {}

  record Raw(Dataset<Row> rows, int numFeatures) {}

  static Raw csv(SparkSession spark, Storage storage, InputSpec spec) {
    List<Path> files = InputFiles.dataFiles(storage, spec.input());
    InputFiles.NumberedLine first = InputFiles.firstLine(storage, files.get(0));
    if (first == null) {
      throw new BadInputException(PathMessages.show(files.get(0)) + ": empty input (no rows)");
    }
    List<String> firstFields = CsvLines.split(first.text());
    boolean header = !firstFields.stream().allMatch(CsvLines::isNumber);
    int columns = firstFields.size();
    int labelColumn = labelColumn(spec, header ? firstFields : null, columns, files.get(0));
    if (columns - (labelColumn < 0 ? 0 : 1) < 1) {
      throw new BadInputException(PathMessages.show(files.get(0)) + ": line " + first.number() + ": no feature columns besides the label");
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<JavaRDD<Row>> parts = new ArrayList<>();
    for (Path file : files) {
      // Each file may carry its own header (Spark writes one per part file).
      InputFiles.NumberedLine line1 = InputFiles.firstLine(storage, file);
      boolean fileHeader = line1 != null && !CsvLines.split(line1.text()).stream().allMatch(CsvLines::isNumber);
      long headerLine = fileHeader ? line1.number() : 0;
      parts.add(
          numberedLines(jsc, storage, file)
              .flatMap(new ReaderFunctions.CsvLine(PathMessages.show(file), headerLine, columns, labelColumn)));
    }
    JavaRDD<Row> parsed = parts.size() == 1 ? parts.get(0) : jsc.union(parts.toArray(JavaRDD[]::new));
    Dataset<Row> raw = spark.createDataFrame(parsed.zipWithIndex().map(new ReaderFunctions.WithIndex()), DataSchema.RAW);
    return new Raw(nonEmpty(raw, spec), columns - (labelColumn < 0 ? 0 : 1));
  }

  static Raw libsvm(SparkSession spark, Storage storage, InputSpec spec, int expectedFeatures) {
    if (!spec.labelColumn().equals("last") && !spec.labelColumn().equals("first") && spec.hasLabels()) {
      throw new BadInputException("--label " + spec.labelColumn() + ": LibSVM labels are always the first token; use --label none for data without labels");
    }
    List<Path> files = InputFiles.dataFiles(storage, spec.input());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<JavaRDD<Row>> parts = new ArrayList<>();
    for (Path file : files) {
      parts.add(numberedLines(jsc, storage, file).flatMap(new ReaderFunctions.LibSvmLine(PathMessages.show(file), spec.hasLabels())));
    }
    JavaRDD<Row> parsed = parts.size() == 1 ? parts.get(0) : jsc.union(parts.toArray(JavaRDD[]::new));
    JavaRDD<Integer> widths = parsed.map(new ReaderFunctions.MaxIndex());
    if (widths.isEmpty()) {
      throw new BadInputException(spec.inputName() + ": empty input (no rows)");
    }
    int width = expectedFeatures > 0 ? expectedFeatures : widths.reduce(Math::max);
    if (width < 1) {
      throw new BadInputException(spec.inputName() + ": no row has any feature");
    }
    Dataset<Row> raw = spark.createDataFrame(parsed.zipWithIndex().map(new ReaderFunctions.Densify(width)), DataSchema.RAW);
    return new Raw(raw, width);
  }

  /** A text file's lines and their 0-based numbers; gzip files through {@link ReaderFunctions.GzipLines}. */
  private static org.apache.spark.api.java.JavaPairRDD<String, Long> numberedLines(JavaSparkContext jsc, Storage storage, Path file) {
    if (file.getName().toLowerCase(java.util.Locale.ROOT).endsWith(".gz")) {
      return jsc.parallelize(List.of(file.toString()), 1)
          .flatMapToPair(new ReaderFunctions.GzipLines(new org.apache.spark.util.SerializableConfiguration(storage.configuration())));
    }
    return jsc.textFile(file.toString()).zipWithIndex();
  }

  private static Dataset<Row> nonEmpty(Dataset<Row> raw, InputSpec spec) {
    if (raw.isEmpty()) {
      throw new BadInputException(spec.inputName() + ": empty input (no data rows)");
    }
    return raw;
  }

  /**
   * The 0-based label column for {@code spec.labelColumn()}, or -1 for none.
   *
   * @param header the header's fields, or null when the file has none
   */
  static int labelColumn(InputSpec spec, List<String> header, int columns, Path path) {
    String file = PathMessages.show(path);
    String label = spec.labelColumn();
    switch (label) {
      case InputSpec.NO_LABELS:
        return -1;
      case "last":
        return columns - 1;
      case "first":
        return 0;
      default:
        break;
    }
    if (label.chars().allMatch(Character::isDigit)) {
      int index = Integer.parseInt(label);
      if (index >= columns) {
        throw new BadInputException("--label " + label + ": " + file + " has only " + columns + " columns (indices are 0-based)");
      }
      return index;
    }
    if (header == null) {
      throw new BadInputException("--label " + label + ": " + file + " has no header row to find that column name in");
    }
    int index = header.indexOf(label);
    if (index < 0) {
      throw new BadInputException("--label " + label + ": no such column in " + file + "; its columns are " + LabelMapper.abbreviate(header));
    }
    return index;
  }
}
