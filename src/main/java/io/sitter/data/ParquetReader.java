package io.sitter.data;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.sitter.config.BadInputException;
import io.sitter.storage.Storage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Parquet with either a {@code features} column (array of numbers, or a Spark ML vector, which
 * without spark-mllib reads as its struct {@code type, size, indices, values}) plus a label
 * column ({@code label} unless {@code --label} names another), or plain numeric columns with the
 * label chosen by {@code --label} as for CSV. Errors name the file and 1-based row within it
 * (Spark 3.5's {@code _metadata.row_index}). Read by Spark's Parquet source on the executors, from
 * any Hadoop file system.
 */
final class ParquetReader {
  private ParquetReader() {}

  static TextReader.Raw read(SparkSession spark, Storage storage, InputSpec spec, int expectedFeatures) {
    InputFiles.dataFiles(storage, spec.input());
    Dataset<Row> df;
    try {
      df = spark.read().parquet(spec.input().toString());
    } catch (RuntimeException e) {
      throw new BadInputException(spec.inputName() + ": not readable as Parquet: " + firstLine(e.getMessage()), e);
    }
    StructType schema = df.schema();
    List<String> names = Arrays.asList(schema.fieldNames());
    Column features;
    Column label;
    List<String> featureColumns = new ArrayList<>();
    if (names.contains(DataSchema.FEATURES)) {
      DataType type = schema.apply(DataSchema.FEATURES).dataType();
      if (type instanceof ArrayType a && a.elementType() instanceof NumericType) {
        features = col(DataSchema.FEATURES).cast(DataTypes.createArrayType(DataTypes.DoubleType));
      } else if (isVectorStruct(type)) {
        features = col(DataSchema.FEATURES);
      } else {
        throw new BadInputException(spec.inputName() + ": column 'features' is " + type.simpleString() + ", expected an array of numbers or a vector");
      }
      String labelName = switch (spec.labelColumn()) {
        case "last", "first" -> DataSchema.LABEL;
        default -> spec.labelColumn();
      };
      if (!spec.hasLabels()) {
        label = lit(null).cast(DataTypes.StringType);
      } else if (!names.contains(labelName)) {
        throw new BadInputException(
            "--label " + spec.labelColumn() + ": " + spec.inputName() + " has no column '" + labelName + "'; its columns are " + names + " (use --label none for data without labels)");
      } else {
        label = col(labelName).cast(DataTypes.StringType);
      }
    } else {
      int labelIndex = TextReader.labelColumn(spec, names, names.size(), spec.input());
      List<Column> parts = new ArrayList<>();
      for (int c = 0; c < names.size(); c++) {
        if (c == labelIndex) {
          continue;
        }
        StructField f = schema.fields()[c];
        if (!(f.dataType() instanceof NumericType)) {
          throw new BadInputException(spec.inputName() + ": column '" + f.name() + "' is " + f.dataType().simpleString() + ", expected a number");
        }
        featureColumns.add(f.name());
        parts.add(col(quoted(f.name())).cast(DataTypes.DoubleType));
      }
      if (parts.isEmpty()) {
        throw new BadInputException(spec.inputName() + ": no feature columns besides the label");
      }
      features = array(parts.toArray(Column[]::new));
      label = labelIndex < 0 ? lit(null).cast(DataTypes.StringType) : col(quoted(names.get(labelIndex))).cast(DataTypes.StringType);
    }
    Dataset<Row> selected =
        df.select(features.as("f"), label.as("l"), col("_metadata.file_path").as("file"), col("_metadata.row_index").as("row"));
    JavaRDD<Row> rdd = selected.javaRDD();
    List<Row> head = selected.limit(1).collectAsList();
    if (head.isEmpty()) {
      throw new BadInputException(spec.inputName() + ": empty input (no rows)");
    }
    int width = expectedFeatures > 0 ? expectedFeatures : widthOf(head.get(0), spec);
    JavaRDD<Row> checked = rdd.zipWithIndex().map(new ReaderFunctions.ParquetRow(width, featureColumns));
    Dataset<Row> raw = spark.createDataFrame(checked, DataSchema.RAW);
    return new TextReader.Raw(raw, width);
  }

  private static int widthOf(Row first, InputSpec spec) {
    if (first.isNullAt(0)) {
      throw new BadInputException(first.getString(2) + ": row 1: features are null");
    }
    if (first.get(0) instanceof Row vector) {
      return vector.getByte(0) == 1 ? vector.getList(3).size() : vector.getInt(1);
    }
    int width = first.getList(0).size();
    if (width < 1) {
      throw new BadInputException(first.getString(2) + ": row 1: no features");
    }
    return width;
  }

  /** Spark ML's VectorUDT storage: {@code struct<type:tinyint,size:int,indices:array<int>,values:array<double>>}. */
  private static boolean isVectorStruct(DataType type) {
    return type instanceof StructType s && Arrays.asList(s.fieldNames()).equals(List.of("type", "size", "indices", "values"));
  }

  private static String quoted(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
