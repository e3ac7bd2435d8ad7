package io.sitter.babysit;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseOutputLayer;
import org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The RMS loss gradient of each Dense/Output layer's weight matrix on the fixed probe batch, one
 * forward and backward pass on the driver (about as much as one minibatch of training), on a copy
 * of the network. Not in place: a backward pass leaves state in the network beyond its parameters
 * (DL4J's gradient views, which the next fit reads), so even with the parameters written back the
 * next minibatch trained to different values, and a monitor must not steer the training it
 * watches (GradientProbeTest). The copy costs one parameter vector a round.
 */
public final class GradientProbe {
  private GradientProbe() {}

  /** Layer name ({@code dense_0}, ..., {@code output}) to RMS gradient of its weights. */
  public static Map<String, Double> measure(MultiLayerNetwork trained, INDArray features, INDArray labels) {
    MultiLayerNetwork net = trained.clone();
    try {
      net.setInput(features);
      net.setLabels(labels);
      net.computeGradientAndScore();
      Gradient g = net.gradient();
      Map<String, Double> out = new LinkedHashMap<>();
      int dense = 0;
      Layer[] layers = net.getLayers();
      for (int i = 0; i < layers.length; i++) {
        String name;
        if (layers[i] instanceof BaseOutputLayer<?>) {
          name = "output";
        } else if (layers[i] instanceof DenseLayer) {
          name = ActivationProbe.name(dense++);
        } else {
          continue;
        }
        INDArray w = g.getGradientFor(i + "_W");
        if (w != null) {
          double norm = w.norm2Number().doubleValue();
          out.put(name, norm / Math.sqrt(w.length()));
        }
      }
      return out;
    } finally {
      net.clear();
    }
  }
}
