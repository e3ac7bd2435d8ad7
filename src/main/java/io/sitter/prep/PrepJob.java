package io.sitter.prep;


import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.udf;

import io.sitter.config.BadInputException;
import io.sitter.data.DataReaders;
import io.sitter.data.DataSchema;
import io.sitter.data.LabeledData;
import io.sitter.stats.FeatureStatistics;
import io.sitter.stats.SplitAssigner;
import io.sitter.storage.PrepDirectory;
import io.sitter.storage.Storage;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code sitter prep}: read, split, fit the normalization on the training split only, write the
 * three normalized splits and {@code preprocessing.json} into a temporary sibling of the output
 * directory and rename it into place, so a failure leaves no partial directory.
 */
public final class PrepJob {
  private static final String SPLIT = "split";
  private static final String HASH = "hash";

  private PrepJob() {}

  public static PrepResult run(SparkSession spark, PrepOptions o) {
    refuseExisting(spark, o); // before reading the input
    if (!o.input().hasLabels()) {
      throw new BadInputException("--label none: prep needs labelled data (to stratify and to train on)");
    }
    LabeledData data = DataReaders.read(spark, o.input(), null);
    String format = DataReaders.format(spark, o.input()).cliName();
    return run(spark, data, new Origin(o.input().inputName(), format, o.input().labelColumn()), o);
  }

  private static Storage refuseExisting(SparkSession spark, PrepOptions o) {
    Storage storage = Storage.of(spark.sparkContext().hadoopConfiguration());
    if (PrepDirectory.at(storage, o.out()).exists() && !o.overwrite()) {
      throw new BadInputException("--out " + o.out() + " already exists; use --overwrite to replace it");
    }
    return storage;
  }

  /** Where rows given to {@link #run(SparkSession, LabeledData, Origin, PrepOptions)} came from, as preprocessing.json records it. */
  public record Origin(String input, String format, String labelColumn) {}

  /**
   * Prep of rows already read (the Spark ML estimator's DataFrame, io.sitter.ml): the same split,
   * normalization fit and output as {@code sitter prep}; {@code o.input()} is not read (null is allowed).
   */
  public static PrepResult run(SparkSession spark, LabeledData data, Origin origin, PrepOptions o) {
    Storage storage = refuseExisting(spark, o);
    List<Double> fractions = o.split();
    if (data.predefinedTest() != null) {
      // The input's own test set is the test split; train and val share the rest in their ratio.
      double trainVal = fractions.get(0) + fractions.get(1);
      fractions = List.of(fractions.get(0) / trainVal, fractions.get(1) / trainVal, 0.0);
    }
    SplitAssigner assigner = new SplitAssigner(fractions.get(0), fractions.get(1), fractions.get(2), o.seed());
    Dataset<Row> assigned = assign(data.rows(), assigner, o.stratify()).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long[][] byClass = countsByClass(assigned, data.classes().size());
      Map<String, Long> counts = counts(byClass, data.predefinedTest());
      checkSplits(origin.input(), fractions, assigner, counts, byClass[SplitAssigner.TRAIN]);
      Dataset<Row> train = split(assigned, SplitAssigner.TRAIN);
      FeatureStatistics stats = FeatureStatisticsJob.compute(train, data.numFeatures(), "the training split");
      FittedNormalizer normalizer =
          FittedNormalizer.fit(
              stats, o.mode(), o.scale(), data.classes(), data.labelsWereStrings(),
              new FittedNormalizer.Provenance(
                  origin.input(), origin.format(), origin.labelColumn(), counts, o.seed(), fractions, o.stratify()));
      write(storage, o, normalizer, assigned, data.predefinedTest(), counts);
      return new PrepResult(o.out(), normalizer, counts.get("train"), counts.get("val"), counts.get("test"));
    } finally {
      assigned.unpersist();
    }
  }

  /**
   * Adds the {@code split} column (and the {@code hash} the rows are then shuffled by).
   *
   * <p>Stratified: within each class rows are ranked by (hash, index) and the ranks cut at the
   * class's share ({@link SplitAssigner#assignRanked}). The ranking runs on a narrow projection
   * (label, hash, index: 20 bytes a row) and only each class's first validation and first test
   * row come to the driver; every row then finds its split by comparing its (hash, index) with
   * those cut points, so the wide rows are shuffled once (below), not twice.
   */
  static Dataset<Row> assign(Dataset<Row> rows, SplitAssigner assigner, boolean stratify) {
    Dataset<Row> hashed =
        rows.withColumn(HASH, udf(new PrepFunctions.SplitHash(assigner.seed()), DataTypes.LongType).apply(col(DataSchema.INDEX)));
    Dataset<Row> withSplit;
    if (stratify) {
      PrepFunctions.ClassCuts cuts = classCuts(hashed, assigner);
      withSplit =
          hashed.withColumn(
              SPLIT, udf(cuts, DataTypes.IntegerType).apply(col(DataSchema.LABEL), col(HASH), col(DataSchema.INDEX)));
    } else {
      withSplit = hashed.withColumn(SPLIT, udf(new PrepFunctions.AssignByIndex(assigner), DataTypes.IntegerType).apply(col(DataSchema.INDEX)));
    }
    // Hash partitioning then a local sort: rows in random but reproducible order, no file sorted
    // by class, without the sampling job and range shuffle a global orderBy costs. As many
    // partitions as the input had (its files' splits reflect its size), at least one per core:
    // spark.sql.shuffle.partitions (200) would write 200 tiny files per split.
    int partitions = Math.max(rows.sparkSession().sparkContext().defaultParallelism(), rows.rdd().getNumPartitions());
    return withSplit.repartition(partitions, col(HASH)).sortWithinPartitions(HASH, DataSchema.INDEX);
  }

  /** Each class's first validation row and first test row in (hash, index) order. */
  private static PrepFunctions.ClassCuts classCuts(Dataset<Row> hashed, SplitAssigner assigner) {
    var byClass = Window.partitionBy(DataSchema.LABEL);
    Dataset<Row> ranked =
        hashed
            .select(DataSchema.LABEL, HASH, DataSchema.INDEX)
            .withColumn("rank", row_number().over(byClass.orderBy(HASH, DataSchema.INDEX)).minus(1).cast(DataTypes.LongType))
            .withColumn("classCount", count(lit(1)).over(byClass));
    Dataset<Row> firsts =
        ranked
            .withColumn(SPLIT, udf(new PrepFunctions.AssignByRank(assigner), DataTypes.IntegerType).apply(col("rank"), col("classCount")))
            .where(col(SPLIT).gt(SplitAssigner.TRAIN))
            .groupBy(DataSchema.LABEL, SPLIT)
            .agg(min(struct(col(HASH), col(DataSchema.INDEX))).as("first"));
    Map<Integer, long[]> cuts = new HashMap<>();
    for (Row r : firsts.collectAsList()) {
      long[] c = cuts.computeIfAbsent(r.getInt(0), k -> PrepFunctions.ClassCuts.none());
      Row first = r.getStruct(2);
      int at = r.getInt(1) == SplitAssigner.VAL ? 0 : 2;
      c[at] = first.getLong(0);
      c[at + 1] = first.getLong(1);
    }
    for (long[] c : cuts.values()) {
      // No validation rows in a class (val fraction 0): validation ends where test begins.
      if (c[0] == Long.MAX_VALUE && c[1] == Long.MAX_VALUE) {
        c[0] = c[2];
        c[1] = c[3];
      }
    }
    return new PrepFunctions.ClassCuts(cuts);
  }

  static Dataset<Row> split(Dataset<Row> assigned, int split) {
    return assigned.where(col(SPLIT).equalTo(split)).select(DataSchema.INDEX, DataSchema.FEATURES, DataSchema.LABEL);
  }

  /** Rows per split (row) and class (column), in the one job that also gives the split sizes. */
  private static long[][] countsByClass(Dataset<Row> assigned, int numClasses) {
    long[][] n = new long[3][numClasses];
    for (Row r : assigned.groupBy(SPLIT, DataSchema.LABEL).count().collectAsList()) {
      n[r.getInt(0)][r.getInt(1)] = r.getLong(2);
    }
    return n;
  }

  private static Map<String, Long> counts(long[][] byClass, Dataset<Row> predefinedTest) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (int s = 0; s < 3; s++) {
      counts.put(SplitAssigner.NAMES.get(s), java.util.Arrays.stream(byClass[s]).sum());
    }
    if (predefinedTest != null) {
      counts.put(SplitAssigner.NAMES.get(SplitAssigner.TEST), predefinedTest.count());
    }
    return counts;
  }

  /**
   * Every split the user asked for has rows, and the training split holds at least two classes:
   * a split of 3 rows as 0.5,0.5,0 left one training row of one class, and a network trained on
   * one class learns nothing a user could want, so prep refuses it before writing anything.
   */
  private static void checkSplits(String input, List<Double> fractions, SplitAssigner assigner, Map<String, Long> counts,
      long[] trainByClass) {
    for (int s = 0; s < 3; s++) {
      String name = SplitAssigner.NAMES.get(s);
      if (counts.get(name) == 0 && assigner.fraction(s) > 0) {
        throw new BadInputException(
            input + ": the " + name + " split is empty (" + describe(counts) + " of " + total(counts)
                + " rows, split " + fractions + "); use more data or other --split fractions");
      }
    }
    long trainClasses = java.util.Arrays.stream(trainByClass).filter(c -> c > 0).count();
    if (trainClasses < 2) {
      throw new BadInputException(
          input + ": the train split holds " + counts.get("train") + " rows of " + trainClasses
              + " class (" + describe(counts) + ", split " + fractions + "); training needs at least two classes: use more data or other --split fractions");
    }
  }

  private static String describe(Map<String, Long> counts) {
    return counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(java.util.stream.Collectors.joining(", "));
  }

  private static long total(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  private static void write(Storage storage,
      PrepOptions o, FittedNormalizer normalizer, Dataset<Row> assigned, Dataset<Row> predefinedTest, Map<String, Long> counts) {
    PrepDirectory.Staged staged = PrepDirectory.stage(storage, o.out());
    try {
      for (int s = 0; s < 3; s++) {
        String name = SplitAssigner.NAMES.get(s);
        Dataset<Row> rows = s == SplitAssigner.TEST && predefinedTest != null ? predefinedTest : split(assigned, s);
        if (counts.get(name) > 0) {
          // Rows as read are doubles; the written splits are float32 (DataSchema.ROWS): they are
          // network input, read as such by train, check, search and evaluate/predict --data, so
          // the one rounding to float32 happens here, after normalization in double.
          normalizer.apply(rows).write().parquet(staged.split(name).toString());
        }
      }
      staged.publish(normalizer.toJson());
    } catch (Exception e) { // Spark's task failures arrive as its checked SparkException, thrown sneakily
      staged.abandon();
      var full = io.sitter.storage.NoSpaceLeftException.of(e, o.out());
      if (full.isPresent()) {
        throw full.get();
      }
      throw e;
    }
  }
}
