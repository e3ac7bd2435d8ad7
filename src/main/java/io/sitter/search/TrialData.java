package io.sitter.search;

import java.io.Serializable;

/**
 * An executor's own copy of the normalized training and validation splits for {@code trials} mode,
 * row-major and flat ({@code float[]} ships cheaply under Kryo, INDArray does not: see
 * NetworkPayload). Broadcast once per search; meant for data that fits an executor.
 */
final class TrialData implements Serializable {
  private static final long serialVersionUID = 1L;

  final float[] trainFeatures;
  final int[] trainLabels;
  final float[] valFeatures;
  final int[] valLabels;
  final int numFeatures;
  final int numClasses;

  TrialData(float[] trainFeatures, int[] trainLabels, float[] valFeatures, int[] valLabels, int numFeatures, int numClasses) {
    if (trainFeatures.length != (long) trainLabels.length * numFeatures || valFeatures.length != (long) valLabels.length * numFeatures) {
      throw new IllegalArgumentException("features must hold numFeatures values per label: train "
          + trainFeatures.length + " for " + trainLabels.length + " labels, val " + valFeatures.length + " for " + valLabels.length
          + " labels, numFeatures " + numFeatures);
    }
    if (trainLabels.length == 0 || valLabels.length == 0) {
      throw new IllegalArgumentException("trials need a non-empty training and validation split, got "
          + trainLabels.length + " and " + valLabels.length + " rows");
    }
    this.trainFeatures = trainFeatures;
    this.trainLabels = trainLabels;
    this.valFeatures = valFeatures;
    this.valLabels = valLabels;
    this.numFeatures = numFeatures;
    this.numClasses = numClasses;
  }

  int trainRows() {
    return trainLabels.length;
  }

  long bytes() {
    return 4L * (trainFeatures.length + trainLabels.length + valFeatures.length + valLabels.length);
  }
}
