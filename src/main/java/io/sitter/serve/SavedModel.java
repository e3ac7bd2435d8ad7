package io.sitter.serve;

import io.sitter.config.BadInputException;
import io.sitter.model.NetworkPayload;
import io.sitter.prep.FittedNormalizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
  private final FittedNormalizer preprocessing;

  private SavedModel(Path runDirectory, NetworkPayload network, FittedNormalizer preprocessing) {
    this.runDirectory = runDirectory;
    this.network = network;
    this.preprocessing = preprocessing;
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
    FittedNormalizer prep = FittedNormalizer.read(prepFile);
    int[] shape = DistributedEvaluation.inputAndOutputSize(network);
    if (shape[0] != prep.numFeatures()) {
      throw new BadInputException(
          run + ": model.zip takes " + shape[0] + " features but preprocessing.json says " + prep.numFeatures());
    }
    if (shape[1] != prep.classes().size()) {
      throw new BadInputException(
          run + ": model.zip has " + shape[1] + " outputs but preprocessing.json names " + prep.classes().size() + " classes");
    }
    return new SavedModel(dir, network, prep);
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

  /** The preprocessing the model was trained behind; raw inputs go through it first. */
  public FittedNormalizer preprocessing() {
    return preprocessing;
  }

  public int numFeatures() {
    return preprocessing.numFeatures();
  }

  public int numClasses() {
    return preprocessing.classes().size();
  }

  /** The label name of each class index, in index order. */
  public List<String> classes() {
    return preprocessing.classes();
  }

  /** True when the training data's labels were strings (predictions are then reported as names). */
  public boolean labelsWereStrings() {
    return preprocessing.labelsWereStrings();
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
}
