package io.sitter.train;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where things are in a network's flat parameter vector: the weight matrices the update ratio is
 * measured on ({@code dense_0}, ..., {@code output}) and each BatchNorm layer's running mean and
 * variance ({@code <i>_mean}, {@code <i>_var}), which are merged as pooled statistics.
 */
final class NetworkLayout {
  /** A layer whose update/weight ratio is monitored. */
  record Monitored(String name, int layerIndex, String weightKey) {}

  /** A BatchNorm layer's running statistics: offsets into the flat parameter vector. */
  record BatchNormStats(int layerIndex, int units, int meanOffset, int varOffset) {}

  final List<Monitored> monitored;
  final List<BatchNormStats> batchNorms;
  final long numParams;

  private NetworkLayout(List<Monitored> monitored, List<BatchNormStats> batchNorms, long numParams) {
    this.monitored = List.copyOf(monitored);
    this.batchNorms = List.copyOf(batchNorms);
    this.numParams = numParams;
  }

  static NetworkLayout of(MultiLayerNetwork net) {
    List<Monitored> monitored = new ArrayList<>();
    List<BatchNormStats> bns = new ArrayList<>();
    // MultiLayerNetwork.paramTable() walks layers in order and each layer's table in its
    // initializer's order, which is the layout of the flattened vector; checked below by value.
    Map<String, INDArray> table = net.paramTable();
    long offset = 0;
    Map<String, Long> offsets = new HashMap<>();
    for (Map.Entry<String, INDArray> e : table.entrySet()) {
      offsets.put(e.getKey(), offset);
      offset += e.getValue().length();
    }
    if (offset != net.numParams()) {
      throw new IllegalStateException("parameter table covers " + offset + " of " + net.numParams() + " parameters");
    }
    int dense = 0;
    for (int i = 0; i < net.getnLayers(); i++) {
      org.deeplearning4j.nn.conf.layers.Layer conf = net.getLayer(i).conf().getLayer();
      if (conf instanceof BaseOutputLayer) {
        monitored.add(new Monitored("output", i, i + "_W"));
      } else if (conf instanceof DenseLayer) {
        monitored.add(new Monitored("dense_" + dense++, i, i + "_W"));
      } else if (conf instanceof BatchNormalization) {
        String mean = i + "_mean";
        String var = i + "_var";
        if (!offsets.containsKey(mean) || !offsets.containsKey(var)) {
          throw new IllegalStateException("BatchNorm layer " + i + " keeps no " + mean + "/" + var
              + " (NetworkFactory must build it with useLogStd(false))");
        }
        int units = (int) table.get(mean).length();
        bns.add(new BatchNormStats(i, units, offsets.get(mean).intValue(), offsets.get(var).intValue()));
      }
    }
    float[] flat = net.params().dup().data().asFloat();
    for (BatchNormStats b : bns) {
      check(flat, b.meanOffset, table.get(b.layerIndex + "_mean"));
      check(flat, b.varOffset, table.get(b.layerIndex + "_var"));
    }
    return new NetworkLayout(monitored, bns, net.numParams());
  }

  /** A mask over the flat parameter vector: true at every BatchNorm running mean and variance entry. */
  boolean[] batchNormStatistics() {
    boolean[] mask = new boolean[Math.toIntExact(numParams)];
    for (BatchNormStats b : batchNorms) {
      java.util.Arrays.fill(mask, b.meanOffset, b.meanOffset + b.units, true);
      java.util.Arrays.fill(mask, b.varOffset, b.varOffset + b.units, true);
    }
    return mask;
  }

  /** Layer names in metrics order. */
  List<String> names() {
    List<String> names = new ArrayList<>();
    monitored.forEach(m -> names.add(m.name()));
    return names;
  }

  private static void check(float[] flat, int offset, INDArray param) {
    float[] values = param.dup().data().asFloat();
    if (!java.util.Arrays.equals(flat, offset, offset + values.length, values, 0, values.length)) {
      throw new IllegalStateException("flat parameter layout differs from the parameter table at offset " + offset);
    }
  }
}
