package io.sitter.serve;

import io.sitter.config.BadInputException;
import io.sitter.model.NetworkPayload;
import io.sitter.prep.FittedNormalizer;
import java.io.IOException;
import io.sitter.storage.RunDirectory;
import io.sitter.storage.Storage;
import org.apache.hadoop.fs.Path;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * A trained model as a run directory holds it (docs/formats.md): {@code model.zip} and the {@code
 * preprocessing.json} its inputs must go through. Immutable; the network is kept as a {@link
 * NetworkPayload}, ready to broadcast.
 */
public final class SavedModel {
  private final RunDirectory runDirectory;
  private final NetworkPayload network;
  private final FittedNormalizer preprocessing;

  private SavedModel(RunDirectory runDirectory, NetworkPayload network, FittedNormalizer preprocessing) {
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
  public static SavedModel load(Storage storage, Path run) {
    RunDirectory dir = RunDirectory.at(storage, run);
    if (!dir.isDirectory()) {
      throw new BadInputException("model run directory not found: " + run);
    }
    for (String f : List.of(RunDirectory.MODEL, RunDirectory.PREPROCESSING)) {
      if (!dir.has(f)) {
        throw new BadInputException(run + " is not a trained run: " + f + " is missing");
      }
    }
    NetworkPayload network = readNetwork(dir);
    FittedNormalizer prep = FittedNormalizer.fromJson(dir.preprocessing().orElseThrow(), dir.file(RunDirectory.PREPROCESSING));
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
    return runDirectory.path();
  }

  public Path preprocessingFile() {
    return runDirectory.file(RunDirectory.PREPROCESSING);
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

  private static NetworkPayload readNetwork(RunDirectory dir) {
    try {
      // loadUpdater=false: serving needs only the parameters, and Adam's state would double the read.
      return dir.readModel(in -> NetworkPayload.of(ModelSerializer.restoreMultiLayerNetwork(in, false)));
    } catch (BadInputException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new BadInputException(dir.file(RunDirectory.MODEL) + ": not a DL4J model: " + e.getMessage(), e);
    }
  }
}
