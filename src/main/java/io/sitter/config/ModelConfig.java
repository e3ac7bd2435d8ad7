package io.sitter.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.io.Serializable;
import java.util.List;

/**
 * The network: hidden layers, each Dense -> BatchNorm -> activation (Dense(activation) when
 * BatchNorm is off), then a softmax output. Defaults live in {@code conf/default.yaml} only.
 *
 * @param dropout probability of dropping a hidden unit's output (0 = off); note DL4J's own
 *     {@code dropOut(x)} takes the probability of <em>retaining</em>, the model factory converts.
 */
public record ModelConfig(
    List<Integer> hiddenLayers,
    boolean batchNorm,
    Activation activation,
    WeightInit weightInit,
    double biasInit,
    double l2,
    double dropout)
    implements Serializable {

  public ModelConfig {
    Check.present("model.hiddenLayers", hiddenLayers);
    for (int i = 0; i < hiddenLayers.size(); i++) {
      Integer n = hiddenLayers.get(i);
      if (n == null || n < 1) {
        throw new IllegalArgumentException("model.hiddenLayers[" + i + "] must be >= 1, got " + n);
      }
    }
    hiddenLayers = List.copyOf(hiddenLayers);
    Check.present("model.activation", activation);
    Check.present("model.weightInit", weightInit);
    Check.finite("model.biasInit", biasInit);
    Check.within("model.l2", l2, 0, 1e3);
    Check.halfOpen("model.dropout", dropout, 0, 1);
  }

  /** Hidden-layer activations. */
  public enum Activation {
    RELU, LEAKYRELU, ELU, TANH, SIGMOID;

    @JsonCreator
    public static Activation of(String s) {
      return Choices.parse(Activation.class, "model.activation", s);
    }

    @JsonValue
    public String key() {
      return Choices.name(this);
    }
  }

  /** Weight initialisations, in CS231n's terms. */
  public enum WeightInit {
    /** N(0, 2/fanIn). */
    HE,
    /** N(0, 1/fanIn), CS231n's "Xavier" (randn / sqrt(n)). */
    XAVIER,
    /** 0.01 * N(0, 1). */
    SMALL,
    /** all zero: breaks symmetry never (kept to demonstrate the failure). */
    ZERO;

    @JsonCreator
    public static WeightInit of(String s) {
      return Choices.parse(WeightInit.class, "model.weightInit", s);
    }

    @JsonValue
    public String key() {
      return Choices.name(this);
    }
  }
}
