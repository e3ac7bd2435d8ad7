package io.sitter.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sitter.config.BadInputException;
import io.sitter.model.NetworkPayload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * A trained model as a run directory holds it (docs/formats.md): {@code model.zip} and the {@code
 * preprocessing.json} its inputs must go through. Immutable; the network is kept as a {@link
 * NetworkPayload}, ready to broadcast.
 */
public final class SavedModel {
  public static final String MODEL_FILE = "model.zip";
  public static final String PREPROCESSING_FILE = "preprocessing.json";

  private final Path runDirectory;
  private final NetworkPayload network;
  private final int numFeatures;
  private final List<String> classes;
  private final boolean labelsWereStrings;

  private SavedModel(Path runDirectory, NetworkPayload network, int numFeatures, List<String> classes, boolean labelsWereStrings) {
    this.runDirectory = runDirectory;
    this.network = network;
    this.numFeatures = numFeatures;
    this.classes = List.copyOf(classes);
    this.labelsWereStrings = labelsWereStrings;
  }

  /**
   * Loads {@code run}.
   *
   * @throws BadInputException when the directory, its model or its preprocessing is missing or
   *     unreadable, or the two disagree on the number of features or classes
   */
  public static SavedModel load(Path run) {
    Path dir = run.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new BadInputException("model run directory not found: " + run);
    }
    Path modelFile = dir.resolve(MODEL_FILE);
    Path prepFile = dir.resolve(PREPROCESSING_FILE);
    for (Path f : List.of(modelFile, prepFile)) {
      if (!Files.isRegularFile(f)) {
        throw new BadInputException(run + " is not a trained run: " + f.getFileName() + " is missing");
      }
    }
    NetworkPayload network = readNetwork(modelFile);
    JsonNode prep = readJson(prepFile);
    int numFeatures = intField(prep, "numFeatures", prepFile);
    List<String> classes = new ArrayList<>();
    JsonNode names = prep.get("classes");
    if (names == null || !names.isArray()) {
      throw new BadInputException(prepFile + ": no 'classes' list");
    }
    names.forEach(n -> classes.add(n.asText()));
    JsonNode strings = prep.get("labelsWereStrings");
    int[] shape = DistributedEvaluation.inputAndOutputSize(network);
    if (shape[0] != numFeatures) {
      throw new BadInputException(
          run + ": model.zip takes " + shape[0] + " features but preprocessing.json says " + numFeatures);
    }
    if (shape[1] != classes.size()) {
      throw new BadInputException(
          run + ": model.zip has " + shape[1] + " outputs but preprocessing.json names " + classes.size() + " classes");
    }
    return new SavedModel(dir, network, numFeatures, classes, strings != null && strings.asBoolean());
  }

  public Path runDirectory() {
    return runDirectory;
  }

  public Path preprocessingFile() {
    return runDirectory.resolve(PREPROCESSING_FILE);
  }

  public NetworkPayload network() {
    return network;
  }

  public int numFeatures() {
    return numFeatures;
  }

  public int numClasses() {
    return classes.size();
  }

  /** The label name of each class index, in index order. */
  public List<String> classes() {
    return classes;
  }

  /** True when the training data's labels were strings (predictions are then reported as names). */
  public boolean labelsWereStrings() {
    return labelsWereStrings;
  }

  private static NetworkPayload readNetwork(Path modelFile) {
    try {
      // loadUpdater=false: serving needs only the parameters, and Adam's state would double the read.
      MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(modelFile.toFile(), false);
      return NetworkPayload.of(net);
    } catch (IOException | RuntimeException e) {
      throw new BadInputException(modelFile + ": not a DL4J model: " + e.getMessage(), e);
    }
  }

  private static JsonNode readJson(Path file) {
    try {
      return new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new BadInputException(file + ": not valid JSON: " + e.getMessage(), e);
    }
  }

  private static int intField(JsonNode json, String key, Path file) {
    JsonNode n = json.get(key);
    if (n == null || !n.canConvertToInt()) {
      throw new BadInputException(file + ": '" + key + "' is missing or not an integer");
    }
    return n.asInt();
  }
}
