package io.sitter.babysit;

import io.sitter.config.ConfigLoader;
import io.sitter.config.ModelConfig.Activation;
import io.sitter.config.SitterConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/** Synthetic metric streams for the monitors and the diagnosis: rounds built by hand. */
final class SyntheticRuns {
  private SyntheticRuns() {}

  static SitterConfig config(String... overrides) {
    return ConfigLoader.defaults(List.of(overrides));
  }

  /** One hidden layer's statistics with {@code units} units, built from an activation pattern. */
  static ActivationStats layer(String name, int units, Activation activation, IntFunction<float[]> row, int examples) {
    float[] a = new float[examples * units];
    for (int i = 0; i < examples; i++) {
      System.arraycopy(row.apply(i), 0, a, i * units, units);
    }
    return ActivationStats.of(name, a, examples, units, activation, 4);
  }

  /** A healthy ReLU layer: units that differ, half of the values positive, std about {@code scale}. */
  static ActivationStats healthyRelu(String name, double scale) {
    return layer(name, 8, Activation.RELU, i -> {
      float[] r = new float[8];
      for (int u = 0; u < 8; u++) {
        r[u] = (float) Math.max(0, scale * Math.sin(1.3 * i + 0.7 * u + u * u));
      }
      return r;
    }, 16);
  }

  /** A ReLU layer where only unit 0 ever fires. */
  static ActivationStats deadRelu(String name) {
    return layer(name, 8, Activation.RELU, i -> {
      float[] r = new float[8];
      r[0] = 1 + i;
      return r;
    }, 16);
  }

  /** A layer whose 8 units all output the same values. */
  static ActivationStats symmetric(String name, Activation a) {
    return layer(name, 8, a, i -> {
      float[] r = new float[8];
      java.util.Arrays.fill(r, 0.1f * i);
      return r;
    }, 16);
  }

  /** A tanh layer: {@code saturated} share of units at +-0.999, the rest spread in (-0.5, 0.5). */
  static ActivationStats tanh(String name, double saturated, double scale) {
    return layer(name, 8, Activation.TANH, i -> {
      float[] r = new float[8];
      for (int u = 0; u < 8; u++) {
        r[u] = u < saturated * 8 ? (i % 2 == 0 ? 0.999f : -0.999f) : (float) (scale * Math.sin(1.3 * i + u));
      }
      return r;
    }, 16);
  }

  /** Builder of a stream of rounds. */
  static final class Stream {
    final SitterConfig config;
    final int totalRounds;
    final int roundsPerEpoch;
    final List<RoundObservation> rounds = new ArrayList<>();
    /** The untrained network's hidden statistics; empty unless {@link #init} sets them. */
    List<ActivationStats> initial = List.of();

    Stream(SitterConfig config, int totalRounds, int roundsPerEpoch) {
      this.config = config;
      this.totalRounds = totalRounds;
      this.roundsPerEpoch = roundsPerEpoch;
    }

    /**
     * Adds round {@code r}; accuracies are set at epoch ends only (null elsewhere), gradients and
     * ratios apply to every layer name given.
     */
    Stream round(double loss, double ratio, double gradientFirstOverLast, List<ActivationStats> hidden,
        double trainAccuracy, double valAccuracy) {
      int r = rounds.size() + 1;
      int epoch = (r - 1) / roundsPerEpoch + 1;
      boolean epochEnd = r % roundsPerEpoch == 0;
      Map<String, Double> ratios = new LinkedHashMap<>();
      Map<String, Double> grads = new LinkedHashMap<>();
      for (ActivationStats s : hidden) {
        ratios.put(s.layer(), ratio);
        grads.put(s.layer(), 1e-2 * gradientFirstOverLast);
      }
      ratios.put("output", ratio);
      grads.put("output", 1e-2);
      rounds.add(new RoundObservation(r, loss, config.train().learningRate(), ratios, hidden, grads,
          epochEnd ? trainAccuracy : null, epochEnd ? valAccuracy : null, epoch,
          epoch >= (totalRounds + roundsPerEpoch - 1) / roundsPerEpoch));
      return this;
    }

    /** Gives the last round (an epoch end) these per-class validation figures. */
    Stream perClass(List<io.sitter.metrics.EvaluationResult.PerClass> classes) {
      RoundObservation o = rounds.remove(rounds.size() - 1);
      rounds.add(new RoundObservation(o.round(), o.loss(), o.learningRate(), o.updateRatios(), o.hidden(),
          o.gradientRms(), o.trainAccuracy(), o.valAccuracy(), o.epoch(), o.lastEpoch(), classes));
      return this;
    }

    /** Sets the untrained network's hidden statistics, which the monitor gets before round 1. */
    Stream init(List<ActivationStats> hidden) {
      initial = List.copyOf(hidden);
      return this;
    }

    MonitorEvidence evidence(long valExamples, double initialLoss) {
      return new MonitorEvidence(config.model(), config.train(), config.babysit(), 10, valExamples, initialLoss,
          initial, totalRounds, rounds, rounds.size() >= totalRounds);
    }

    /** Every round through a real monitor, as the listener feeds it. */
    BabysitMonitor monitor(long valExamples, double initialLoss, int numClasses) {
      BabysitMonitor m = new BabysitMonitor(config, numClasses, valExamples, initialLoss, totalRounds);
      m.initial(initial);
      rounds.forEach(m::observe);
      return m;
    }
  }
}
