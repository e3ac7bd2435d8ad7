package io.sitter.train;

import io.sitter.config.SitterConfig;
import io.sitter.storage.RunDirectory;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What a {@link RoundListener} sees of the training run, on the driver. */
public interface TrainingView {
  /** The merged network after the latest round (listeners must not change its parameters). */
  MultiLayerNetwork network();

  /** 1-based round; 0 before training. */
  int round();

  /** 1-based epoch of the latest round; 0 before training. */
  int epoch();

  /** The network's iteration count (minibatches fitted per partition so far). */
  long iteration();

  int roundsPerEpoch();

  int totalRounds();

  /**
   * Loss of the initial network on the probe batch, with batch statistics as training sees them
   * (kept across --resume).
   */
  double initialLoss();

  /** A fixed batch of training examples (the first {@code babysit.probeBatchSize} by index): FLOAT [n, numFeatures]. */
  INDArray probeFeatures();

  /** One-hot labels of {@link #probeFeatures()}: FLOAT [n, numClasses]. */
  INDArray probeLabels();

  SitterConfig config();

  int numFeatures();

  int numClasses();

  /** Layer names in metrics: {@code dense_0}, ..., {@code output}. */
  List<String> layerNames();

  RunDirectory runDir();
}
