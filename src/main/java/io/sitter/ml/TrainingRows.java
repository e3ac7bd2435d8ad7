package io.sitter.ml;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import io.sitter.data.DataSchema;
import io.sitter.data.LabeledData;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.BinaryAttribute;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.functions;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * A DataFrame's feature and label columns checked and turned into sitter's rows as read ({@link
 * DataSchema#VALUES}, doubles): before any training starts, every problem is an {@link
 * IllegalArgumentException} naming the param, the column and the first offending row (0-based, in
 * the DataFrame's order, the same numbering as the {@code index} of the rows made here).
 */
final class TrainingRows {
  /** As Spark's Classifier: without label metadata at most this many classes are inferred from the values. */
  static final int MAX_INFERRED_CLASSES = 100;

  private TrainingRows() {}

  /**
   * The checks {@code transformSchema} makes: both columns exist, features are ML vectors or arrays
   * of float or double, labels numeric ({@code labelCol} null: no label, for the model).
   */
  static void checkSchema(StructType schema, String featuresCol, String labelCol) {
    DataType f = column(schema, "featuresCol", featuresCol).dataType();
    if (!f.equals(SQLDataTypes.VectorType()) && !isArray(f)) {
      throw new IllegalArgumentException("featuresCol '" + featuresCol
          + "' must be of type ml.linalg.Vector (VectorAssembler's output) or an array of float or double, but is " + f.simpleString());
    }
    if (labelCol != null) {
      DataType l = column(schema, "labelCol", labelCol).dataType();
      if (!(l instanceof NumericType)) {
        throw new IllegalArgumentException("labelCol '" + labelCol + "' must be numeric (class indices 0..C-1; StringIndexer makes them from strings), but is "
            + l.simpleString());
      }
    }
  }

  static boolean isArray(DataType t) {
    return t instanceof ArrayType a && (a.elementType().equals(DataTypes.FloatType) || a.elementType().equals(DataTypes.DoubleType));
  }

  /**
   * {@code schema} with an array features column typed as an ML vector, for Spark's own schema
   * checks (which know vectors only); the data is converted the same way ({@link #asVectors(Dataset, String, String)}).
   */
  static StructType vectorTyped(StructType schema, String featuresCol) {
    StructField[] fields = schema.fields().clone();
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].name().equals(featuresCol) && isArray(fields[i].dataType())) {
        fields[i] = new StructField(featuresCol, SQLDataTypes.VectorType(), fields[i].nullable(), fields[i].metadata());
      }
    }
    return new StructType(fields);
  }

  /** {@code transformed}'s schema with the input's own features type again (the columns Spark added kept). */
  static StructType withInputTypes(StructType input, StructType transformed) {
    StructField[] out = transformed.fields().clone();
    System.arraycopy(input.fields(), 0, out, 0, input.fields().length);
    return new StructType(out);
  }

  /** An array features column as ML vectors in column {@code as} (vectors as they are). */
  static Dataset<Row> asVectors(Dataset<?> dataset, String featuresCol, String as) {
    return dataset.withColumn(as, functions.array_to_vector(col(featuresCol).cast(DataTypes.createArrayType(DataTypes.DoubleType))));
  }

  static StructField column(StructType schema, String param, String name) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException(param + " '" + name + "' does not exist; the columns are " + String.join(", ", schema.fieldNames()));
  }

  /** Checked rows; {@link #close()} releases their cache (after prep has written its splits). */
  record Checked(LabeledData data, Dataset<Row> cached) implements AutoCloseable {
    @Override
    public void close() {
      cached.unpersist();
    }
  }

  /** Checks every row and converts; the rows stay cached until {@link Checked#close()}. */
  static Checked of(Dataset<?> dataset, String featuresCol, String labelCol) {
    checkSchema(dataset.schema(), featuresCol, labelCol);
    int declaredClasses = declaredClasses(column(dataset.schema(), "labelCol", labelCol));
    Dataset<Row> arrays = dataset.select(
        (isArray(column(dataset.schema(), "featuresCol", featuresCol).dataType())
            ? col(featuresCol).cast(DataTypes.createArrayType(DataTypes.DoubleType))
            : functions.vector_to_array(col(featuresCol), "float64")).as(DataSchema.FEATURES),
        col(labelCol).cast(DataTypes.DoubleType).as(DataSchema.LABEL));
    StructType indexedSchema = new StructType()
        .add(DataSchema.INDEX, DataTypes.LongType, false)
        .add(DataSchema.FEATURES, DataTypes.createArrayType(DataTypes.DoubleType, false), true)
        .add(DataSchema.LABEL, DataTypes.DoubleType, true);
    JavaRDD<Row> numbered = arrays.javaRDD().zipWithIndex().map(new Numbered());
    Dataset<Row> indexed = dataset.sparkSession().createDataFrame(numbered, indexedSchema).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<Row> first = indexed.where(col(DataSchema.INDEX).equalTo(0)).collectAsList();
      if (first.isEmpty()) {
        throw new IllegalArgumentException("the DataFrame has no rows to train on (featuresCol '" + featuresCol + "')");
      }
      int numFeatures = first.get(0).isNullAt(1) ? -1 : first.get(0).getList(1).size();
      firstProblem(indexed, featuresCol, labelCol, numFeatures, declaredClasses);
      List<Row> byLabel = indexed.groupBy(DataSchema.LABEL).count().orderBy(DataSchema.LABEL).collectAsList();
      int numClasses = numClasses(byLabel, labelCol, declaredClasses, indexed.count());
      List<String> classes = new ArrayList<>();
      for (int c = 0; c < numClasses; c++) {
        classes.add(Integer.toString(c));
      }
      Dataset<Row> rows = indexed.select(col(DataSchema.INDEX), col(DataSchema.FEATURES), col(DataSchema.LABEL).cast(DataTypes.IntegerType));
      return new Checked(new LabeledData(rows, null, numFeatures, classes, false, "DataFrame column " + featuresCol), indexed);
    } catch (RuntimeException e) {
      indexed.unpersist();
      throw e;
    }
  }

  /** C from the label column's ML attribute (StringIndexer writes it), or -1 when it has none. */
  static int declaredClasses(StructField label) {
    Attribute a = Attribute.fromStructField(label);
    if (a instanceof BinaryAttribute) {
      return 2;
    }
    if (a instanceof NominalAttribute n && n.getNumValues().isDefined()) {
      return (Integer) n.getNumValues().get();
    }
    return -1;
  }

  /** One scan for the first bad row, in the order the checks are listed in the message. */
  private static void firstProblem(Dataset<Row> indexed, String featuresCol, String labelCol, int numFeatures, int declaredClasses) {
    String inRange = declaredClasses > 0 ? " OR label >= " + declaredClasses : "";
    Dataset<Row> problems = indexed.select(col(DataSchema.INDEX), col(DataSchema.FEATURES), col(DataSchema.LABEL), expr(
        "CASE WHEN features IS NULL THEN 'null_features'"
            + " WHEN size(features) <> " + numFeatures + " THEN 'size'"
            // Doubles as given (statistics use them), but the network computes in float32: a value
            // beyond its range is refused here, as the readers refuse it.
            + " WHEN exists(features, x -> isnan(x) OR abs(x) > " + (double) Float.MAX_VALUE + "D) THEN 'non_finite'"
            + " WHEN label IS NULL OR isnan(label) THEN 'null_label'"
            + " WHEN label < 0 OR label <> floor(label)" + inRange + " THEN 'label'"
            + " END").as("problem"));
    List<Row> bad = problems.where(col("problem").isNotNull()).orderBy(DataSchema.INDEX).limit(1).collectAsList();
    if (bad.isEmpty()) {
      return;
    }
    Row r = bad.get(0);
    long row = r.getLong(0);
    String where = " (row " + row + ", 0-based, in the DataFrame's order)";
    switch (r.getString(3)) {
      case "null_features" -> throw new IllegalArgumentException("featuresCol '" + featuresCol + "' is null" + where);
      case "size" -> throw new IllegalArgumentException("featuresCol '" + featuresCol + "': vectors of different sizes: row 0 has "
          + numFeatures + " features, this row " + r.getList(1).size() + where);
      case "non_finite" -> {
        List<Double> x = r.getList(1);
        int j = 0;
        while (j < x.size() && Math.abs(x.get(j)) <= Float.MAX_VALUE) {
          j++;
        }
        throw new IllegalArgumentException("featuresCol '" + featuresCol + "' holds " + x.get(j) + " at feature " + j
            + where + "; features must be finite and within float32 range, which the network computes in");
      }
      case "null_label" -> throw new IllegalArgumentException("labelCol '" + labelCol + "' is null or NaN" + where);
      default -> throw new IllegalArgumentException("labelCol '" + labelCol + "' holds " + r.getDouble(2) + where
          + "; labels must be class indices, integers in [0, " + (declaredClasses > 0 ? Integer.toString(declaredClasses) : "C")
          + ")" + (declaredClasses > 0 ? " as the column's metadata declares " + declaredClasses + " classes" : ""));
    }
  }

  private static int numClasses(List<Row> byLabel, String labelCol, int declaredClasses, long rows) {
    if (byLabel.size() < 2) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "labelCol '%s' holds one class (%s) in all %d rows; a classifier needs at least two", labelCol,
          byLabel.isEmpty() ? "none" : byLabel.get(0).get(0), rows));
    }
    if (declaredClasses > 0) {
      return declaredClasses;
    }
    double max = byLabel.get(byLabel.size() - 1).getDouble(0);
    if (max + 1 > MAX_INFERRED_CLASSES) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "labelCol '%s' holds label %.0f: without metadata at most %d classes are inferred from the values (as Spark's classifiers do);"
              + " index the labels with StringIndexer, which declares the number of classes", labelCol, max, MAX_INFERRED_CLASSES));
    }
    return (int) max + 1;
  }

  /** {@code (row, index)} to {@code index, features, label}. */
  static final class Numbered implements Function<Tuple2<Row, Long>, Row> {
    private static final long serialVersionUID = 1L;

    @Override
    public Row call(Tuple2<Row, Long> t) {
      Row r = t._1();
      return RowFactory.create(t._2(), r.get(0), r.get(1));
    }
  }
}
