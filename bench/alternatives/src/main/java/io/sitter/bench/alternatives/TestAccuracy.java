package io.sitter.bench.alternatives;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Accuracy of a DL4J network on the test split, in inference mode (BatchNorm running statistics). */
final class TestAccuracy {
  private static final int CHUNK = 2000;
  private final INDArray features;
  private final int[] labels;

  TestAccuracy(PreparedExamples test) {
    this.features = test.featureMatrix();
    this.labels = test.labels;
  }

  double of(MultiLayerNetwork net) {
    long correct = 0;
    for (int from = 0; from < labels.length; from += CHUNK) {
      int to = Math.min(labels.length, from + CHUNK);
      INDArray out = net.output(features.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()), false);
      long[] predicted = out.argMax(1).toLongVector();
      for (int i = 0; i < predicted.length; i++) {
        if (predicted[i] == labels[from + i]) {
          correct++;
        }
      }
    }
    return (double) correct / labels.length;
  }
}
