package io.sitter.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sitter.config.BadInputException;
import io.sitter.shard.Shards;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A prep output directory as training reads it (docs/formats.md): the normalized {@code train}
 * split (required), {@code val} and {@code test} (optional), and the facts of
 * {@code preprocessing.json} training needs.
 */
final class PrepDirectory {
  static final String PREPROCESSING = "preprocessing.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  final Path dir;
  final Path preprocessingFile;
  final int numFeatures;
  final int numClasses;
  final List<String> classes;
  final String input;

  private PrepDirectory(Path dir, Path preprocessingFile, int numFeatures, int numClasses, List<String> classes, String input) {
    this.dir = dir;
    this.preprocessingFile = preprocessingFile;
    this.numFeatures = numFeatures;
    this.numClasses = numClasses;
    this.classes = List.copyOf(classes);
    this.input = input;
  }

  static PrepDirectory open(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new BadInputException("--data " + dir + ": not a directory (expected a sitter prep output)");
    }
    Path pre = dir.resolve(PREPROCESSING);
    if (!Files.isRegularFile(pre)) {
      throw new BadInputException("--data " + dir + ": no " + PREPROCESSING + " (expected a sitter prep output)");
    }
    JsonNode j;
    try {
      j = JSON.readTree(pre.toFile());
    } catch (IOException e) {
      throw new BadInputException(pre + ": not valid JSON: " + e.getMessage(), e);
    }
    int d = positiveInt(j, "numFeatures", pre, 1);
    int c = positiveInt(j, "numClasses", pre, 2);
    List<String> classes = new ArrayList<>();
    JsonNode names = j.path("classes");
    if (names.isArray()) {
      names.forEach(n -> classes.add(n.asText()));
      if (classes.size() != c) {
        throw new BadInputException(pre + ": 'classes' has " + classes.size() + " names but numClasses is " + c);
      }
    } else {
      for (int i = 0; i < c; i++) {
        classes.add(Integer.toString(i));
      }
    }
    if (!Files.isDirectory(dir.resolve("train"))) {
      throw new BadInputException("--data " + dir + ": no train split (" + dir.resolve("train") + ")");
    }
    return new PrepDirectory(dir, pre, d, c, classes, j.path("input").isTextual() ? j.path("input").asText() : null);
  }

  Dataset<Row> train(SparkSession spark) {
    return spark.read().schema(Shards.ROWS).parquet(split("train").toString());
  }

  /** The split's rows, if the directory has that split. */
  Optional<Dataset<Row>> optional(SparkSession spark, String name) {
    Path p = split(name);
    return Files.isDirectory(p) ? Optional.of(spark.read().schema(Shards.ROWS).parquet(p.toString())) : Optional.empty();
  }

  Path split(String name) {
    return dir.resolve(name);
  }

  private static int positiveInt(JsonNode j, String key, Path file, int min) {
    JsonNode v = j.get(key);
    if (v == null || !v.canConvertToInt() || v.asInt() < min) {
      throw new BadInputException(file + ": '" + key + "' must be an integer >= " + min + ", got " + v);
    }
    return v.asInt();
  }
}
