package io.sitter.serve;

import io.sitter.config.BadInputException;
import io.sitter.prep.FittedNormalizer;
import io.sitter.storage.PrepDirectory;
import io.sitter.storage.Storage;
import org.apache.hadoop.fs.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads one split of a prep output directory (docs/formats.md) for a saved model. */
public final class PrepSplits {
  public static final List<String> SPLITS = PrepDirectory.SPLITS;

  private PrepSplits() {}

  /**
   * The already normalized rows of {@code dataDir/split}.
   *
   * @throws BadInputException when the split is unknown or absent, or the directory was prepared
   *     with other classes than {@code model} was trained on (its labels would mean other things)
   */
  public static Dataset<Row> read(SparkSession spark, Path dataDir, String split, SavedModel model) {
    if (!SPLITS.contains(split)) {
      throw new BadInputException("--split must be one of " + SPLITS + ", got '" + split + "'");
    }
    PrepDirectory dir = PrepDirectory.at(Storage.of(spark.sparkContext().hadoopConfiguration()), dataDir);
    String json = dir.preprocessing("--data");
    if (!dir.hasSplit(split)) {
      throw new BadInputException(dataDir + " has no '" + split + "' split (" + dir.split(split) + " is missing)");
    }
    checkSamePreprocessing(FittedNormalizer.fromJson(json, dir.preprocessingFile()), dir.preprocessingFile(), model);
    return spark.read().parquet(dir.split(split).toString());
  }

  private static void checkSamePreprocessing(FittedNormalizer data, Path dataPrep, SavedModel model) {
    FittedNormalizer trained = model.preprocessing();
    if (data.numFeatures() != trained.numFeatures()) {
      throw new BadInputException("wrong feature count: the model expects " + trained.numFeatures()
          + " features, " + dataPrep.getParent() + " has " + data.numFeatures());
    }
    String differs =
        !data.classes().equals(trained.classes()) ? "classes"
            : data.mode() != trained.mode() ? "mode"
            : data.scale() != trained.scale() ? "scale"
            : !Arrays.equals(data.mean(), trained.mean()) ? "mean"
            : !Arrays.equals(data.std(), trained.std()) ? "std"
            : null;
    if (differs != null) {
      throw new BadInputException(
          dataPrep + " differs from the model's preprocessing in '" + differs
              + "': this data was prepared for another model (evaluate raw data with --input instead)");
    }
  }
}
