package io.sitter.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sitter.config.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads one split of a prep output directory (docs/formats.md) for a saved model. */
public final class PrepSplits {
  public static final List<String> SPLITS = List.of("train", "val", "test");

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
    Path dir = dataDir.toAbsolutePath().normalize();
    Path prep = dir.resolve(SavedModel.PREPROCESSING_FILE);
    if (!Files.isRegularFile(prep)) {
      throw new BadInputException(dataDir + " is not a prep output directory: " + SavedModel.PREPROCESSING_FILE + " is missing");
    }
    Path splitDir = dir.resolve(split);
    if (!Files.isDirectory(splitDir)) {
      throw new BadInputException(dataDir + " has no '" + split + "' split (" + splitDir + " is missing)");
    }
    checkSamePreprocessing(prep, model);
    return spark.read().parquet(splitDir.toString());
  }

  private static void checkSamePreprocessing(Path dataPrep, SavedModel model) {
    ObjectMapper json = new ObjectMapper();
    JsonNode data;
    JsonNode trained;
    try {
      data = json.readTree(dataPrep.toFile());
      trained = json.readTree(model.preprocessingFile().toFile());
    } catch (IOException e) {
      throw new BadInputException(dataPrep + ": not valid JSON: " + e.getMessage(), e);
    }
    JsonNode features = data.get("numFeatures");
    if (features == null || features.asInt() != model.numFeatures()) {
      throw new BadInputException("wrong feature count: the model expects " + model.numFeatures()
          + " features, " + dataPrep.getParent() + " has " + (features == null ? "no numFeatures" : features.asText()));
    }
    for (String key : List.of("classes", "mode", "scale", "mean", "std")) {
      JsonNode a = data.get(key);
      JsonNode b = trained.get(key);
      if (a == null ? b != null : !a.equals(b)) {
        throw new BadInputException(
            dataPrep + " differs from the model's preprocessing in '" + key
                + "': this data was prepared for another model (evaluate raw data with --input instead)");
      }
    }
  }
}
