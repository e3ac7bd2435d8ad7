package io.sitter.model;

import java.io.Serializable;
import java.util.Objects;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A network as plain data for broadcasts and task results: DL4J's configuration JSON and the flat
 * parameter vector as {@code float[]}.
 *
 * <p>Why not INDArray: under Spark's Kryo without ND4J's registrator (published only for M2, not
 * M2.1) an INDArray arrives with {@code data()==null} and fails later with an NPE; {@code float[]}
 * works with both serializers at no measurable cost.
 */
public final class NetworkPayload implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String configurationJson;
  private final float[] params;

  public NetworkPayload(String configurationJson, float[] params) {
    this.configurationJson = Objects.requireNonNull(configurationJson, "configurationJson");
    this.params = Objects.requireNonNull(params, "params");
  }

  /** A copy of {@code net}'s configuration and parameters (BatchNorm running statistics included). */
  public static NetworkPayload of(MultiLayerNetwork net) {
    return new NetworkPayload(net.getLayerWiseConfigurations().toJson(), FloatArrays.read(net.params()));
  }

  /** A new network with these parameters; its updater state is fresh. */
  public MultiLayerNetwork toNetwork() {
    MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configurationJson));
    net.init(Nd4j.createFromArray(params.clone()).reshape(1, params.length), false);
    return net;
  }

  public String configurationJson() {
    return configurationJson;
  }

  /** The parameter vector itself (not a copy: callers must not modify it). */
  public float[] params() {
    return params;
  }
}
