package io.sitter.babysit;

import static io.sitter.babysit.Numbers.format;
import static io.sitter.babysit.Numbers.percent;

import io.sitter.config.BabysitConfig;
import io.sitter.config.ModelConfig;
import io.sitter.metrics.CheckResult;
import io.sitter.metrics.CheckResult.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges the numbers watched during training, one round at a time: pure functions from observed
 * numbers and thresholds to {@link CheckResult}s. The healthy update/weight ratio of about 1e-3
 * and the reading of each symptom are CS231n's (lecture 5, "babysitting the learning process").
 */
public final class MonitorJudge {
  /** CS231n's rule of thumb for the update/weight ratio. */
  static final double HEALTHY_UPDATE_RATIO = 1e-3;

  static final String UPDATE_RATIO = "update_ratio";
  static final String DEAD_UNITS = "dead_units";
  static final String SATURATION = "saturation";
  static final String VANISHING = "vanishing_activations";
  static final String SYMMETRY = "symmetric_units";
  static final String OVERFITTING = "overfitting";
  static final String UNDERFITTING = "underfitting";
  static final String CHANCE = "chance_accuracy";

  private MonitorJudge() {}

  /**
   * The update/weight ratio of one layer, against [updateRatioLow, updateRatioHigh]. Outside the
   * band the hint names the layer, the direction and a rate that would bring the ratio to about
   * 1e-3 (both SGD's and Adam's step scale linearly with the rate).
   */
  public static CheckResult updateRatio(String layer, double ratio, double learningRate, BabysitConfig c, int round) {
    Map<String, Double> v = values("updateRatio", ratio, "low", c.updateRatioLow(), "high", c.updateRatioHigh(),
        "learningRate", learningRate);
    String observed = "update/weight ratio " + format(ratio);
    String expected = "in [" + format(c.updateRatioLow()) + ", " + format(c.updateRatioHigh()) + "], about 1e-3";
    if (!Double.isFinite(ratio)) {
      return CheckResult.monitor(UPDATE_RATIO, layer, Status.WARN, observed, expected,
          "Layer " + layer + " update/weight ratio is " + format(ratio)
              + ": its weights are zero or the update overflowed; check the init and lower the learning rate.", v, round);
    }
    if (ratio > c.updateRatioHigh() || ratio < c.updateRatioLow()) {
      boolean high = ratio > c.updateRatioHigh();
      double suggested = suggestedRate(learningRate, ratio);
      v.put("suggestedLearningRate", suggested);
      return CheckResult.monitor(UPDATE_RATIO, layer, Status.WARN, observed, expected,
          "Learning rate looks too " + (high ? "high" : "low") + ": layer " + layer + " update/weight ratio "
              + format(ratio) + ", healthy about 1e-3; try lr " + format(suggested) + ".", v, round);
    }
    return CheckResult.monitor(UPDATE_RATIO, layer, Status.PASS, observed, expected,
        "Layer " + layer + " updates at a healthy pace.", v, round);
  }

  /** The rate that would move {@code ratio} to about 1e-3, within a factor 1000 either way, one digit. */
  static double suggestedRate(double learningRate, double ratio) {
    double factor = ratio > 0 && Double.isFinite(ratio) ? HEALTHY_UPDATE_RATIO / ratio : 0.1;
    return Numbers.oneDigit(learningRate * Math.min(1e3, Math.max(1e-3, factor)));
  }

  /** The share of a ReLU layer's units silent on the whole probe batch. */
  public static CheckResult deadUnits(ActivationStats s, ModelConfig.Activation activation, BabysitConfig c, int round) {
    Map<String, Double> v = values("deadFraction", s.deadFraction(), "threshold", c.deadUnitThreshold(),
        "units", (double) s.units(), "examples", (double) s.examples());
    String observed = percent(s.deadFraction()) + " of " + s.units() + " units never fire";
    String expected = "at most " + percent(c.deadUnitThreshold());
    if (s.deadFraction() > c.deadUnitThreshold()) {
      return CheckResult.monitor(DEAD_UNITS, s.layer(), Status.WARN, observed, expected,
          "Layer " + s.layer() + ": " + percent(s.deadFraction()) + " of its " + activation.key()
              + " units output 0 for every one of " + s.examples() + " probe examples (dead units): a large "
              + "negative bias init or a too-high learning rate killed them; use model.biasInit 0, a lower "
              + "learning rate, or leakyrelu.", v, round);
    }
    return CheckResult.monitor(DEAD_UNITS, s.layer(), Status.PASS, observed, expected,
        "Layer " + s.layer() + " has few dead units.", v, round);
  }

  /** The share of a tanh/sigmoid layer's outputs at the function's limits. */
  public static CheckResult saturation(ActivationStats s, ModelConfig.Activation activation, BabysitConfig c, int round) {
    Map<String, Double> v = values("saturatedFraction", s.saturatedFraction(), "threshold", c.saturationThreshold());
    String observed = percent(s.saturatedFraction()) + " saturated";
    String expected = "at most " + percent(c.saturationThreshold());
    if (s.saturatedFraction() > c.saturationThreshold()) {
      return CheckResult.monitor(SATURATION, s.layer(), Status.WARN, observed, expected,
          "Layer " + s.layer() + ": " + percent(s.saturatedFraction()) + " of its " + activation.key()
              + " outputs sit at the function's limits, where the gradient vanishes; use a smaller weight init "
              + "(xavier), batchNorm, or relu.", v, round);
    }
    return CheckResult.monitor(SATURATION, s.layer(), Status.PASS, observed, expected,
        "Layer " + s.layer() + " is not saturated.", v, round);
  }

  /**
   * Units that all compute the same function: nothing broke their symmetry at initialisation
   * (CS231n: "all zero initialization" makes every neuron compute the same output and receive
   * the same gradient), so the layer is one unit wide however many it has.
   */
  public static CheckResult symmetry(ActivationStats s, int round) {
    Map<String, Double> v = values("distinctUnits", s.distinctUnits(), "units", s.units());
    String observed = s.distinctUnits() + " distinct of " + s.units() + " units";
    String expected = "units that differ";
    if (s.units() > 1 && s.distinctUnits() == 1) {
      return CheckResult.monitor(SYMMETRY, s.layer(), Status.WARN, observed, expected,
          "All " + s.units() + " units of layer " + s.layer() + " output the same values on the probe batch: their "
              + "weights started identical (model.weightInit zero?) and receive identical updates, so the layer "
              + "cannot learn more than one feature; use he (relu) or xavier (tanh) init.", v, round);
    }
    return CheckResult.monitor(SYMMETRY, s.layer(), Status.PASS, observed, expected,
        "Units of layer " + s.layer() + " differ.", v, round);
  }

  /**
   * Activations vanishing with depth: the signal std (each unit's spread across the probe examples,
   * see {@link ActivationStats#signalStd}) shrinks at every hidden layer and the last hidden layer's
   * is below {@code vanishingStdRatio} of the first's. Needs two hidden layers or more; with fewer
   * there is no trend to judge and the result is a pass.
   */
  public static CheckResult vanishing(List<ActivationStats> hidden, BabysitConfig c, int round) {
    Map<String, Double> v = new LinkedHashMap<>();
    boolean shrinking = hidden.size() >= 2;
    for (int i = 0; i < hidden.size(); i++) {
      v.put("std[" + hidden.get(i).layer() + "]", hidden.get(i).signalStd());
      if (i > 0 && !(hidden.get(i).signalStd() < hidden.get(i - 1).signalStd())) {
        shrinking = false;
      }
    }
    double ratio = hidden.size() >= 2 ? hidden.get(hidden.size() - 1).signalStd() / hidden.get(0).signalStd() : 1.0;
    v.put("lastOverFirst", ratio);
    v.put("threshold", c.vanishingStdRatio());
    String stds = hidden.stream().map(s -> format(s.signalStd())).toList().toString();
    String observed = "std across examples by layer " + stds;
    String expected = "last/first at least " + format(c.vanishingStdRatio());
    String last = hidden.isEmpty() ? null : hidden.get(hidden.size() - 1).layer();
    if (shrinking && !(ratio >= c.vanishingStdRatio())) {
      return CheckResult.monitor(VANISHING, last, Status.WARN, observed, expected,
          "Activations vanish layer by layer (std across examples " + stds + ", last/first " + format(ratio)
              + "): the weight init is too small for this depth, so gradients vanish too; use model.weightInit "
              + "xavier (tanh) or he (relu), or batchNorm.", v, round);
    }
    return CheckResult.monitor(VANISHING, last, Status.PASS, observed, expected,
        "Activation scale holds up through the layers.", v, round);
  }

  /**
   * The end-of-epoch reading of train and validation accuracy: a large gap is overfitting; no gap
   * at low accuracy is underfitting; validation at chance level says the labels do not follow
   * from the features. Returns one verdict per reading (overfitting, underfitting, chance).
   */
  public static List<CheckResult> fit(
      double trainAccuracy, double valAccuracy, int numClasses, BabysitConfig c, double learningRate, int round) {
    List<CheckResult> out = new ArrayList<>();
    double gap = trainAccuracy - valAccuracy;
    double chance = 1.0 / numClasses;
    Map<String, Double> v = values("trainAccuracy", trainAccuracy, "valAccuracy", valAccuracy, "gap", gap,
        "overfitGap", c.overfitGap(), "underfitAccuracy", c.underfitAccuracy(), "chance", chance);
    String observed = "train accuracy " + format(trainAccuracy) + ", validation " + format(valAccuracy);
    if (gap > c.overfitGap()) {
      out.add(CheckResult.monitor(OVERFITTING, null, Status.WARN, observed, "gap at most " + format(c.overfitGap()),
          "Overfitting: train accuracy " + format(trainAccuracy) + " vs validation " + format(valAccuracy) + " (gap "
              + format(gap) + " > " + format(c.overfitGap()) + "); add regularization (model.l2, model.dropout), "
              + "use more data, or stop earlier.", v, round));
    } else {
      out.add(CheckResult.monitor(OVERFITTING, null, Status.PASS, observed, "gap at most " + format(c.overfitGap()),
          "No sign of overfitting.", v, round));
    }
    if (gap <= c.overfitGap() && valAccuracy < c.underfitAccuracy()) {
      out.add(CheckResult.monitor(UNDERFITTING, null, Status.WARN, observed,
          "validation accuracy at least " + format(c.underfitAccuracy()),
          "Underfitting: validation accuracy " + format(valAccuracy) + " is low and train accuracy is no better ("
              + format(trainAccuracy) + "); use a bigger model (model.hiddenLayers), less regularization, or a "
              + "higher learning rate than " + format(learningRate) + ".", v, round));
    } else {
      out.add(CheckResult.monitor(UNDERFITTING, null, Status.PASS, observed,
          "validation accuracy at least " + format(c.underfitAccuracy()), "No sign of underfitting.", v, round));
    }
    // 1.2x chance: a model that learned anything real clears that on any non-trivial validation set.
    if (valAccuracy <= 1.2 * chance) {
      out.add(CheckResult.monitor(CHANCE, null, Status.WARN, "validation accuracy " + format(valAccuracy),
          "above chance " + format(chance),
          "Validation accuracy " + format(valAccuracy) + " is at chance level (1/" + numClasses + " = "
              + format(chance) + "): the labels do not follow from the features; check for shuffled or misaligned "
              + "labels.", v, round));
    } else {
      out.add(CheckResult.monitor(CHANCE, null, Status.PASS, "validation accuracy " + format(valAccuracy),
          "above chance " + format(chance), "The model beats chance.", v, round));
    }
    return out;
  }

  static Map<String, Double> values(Object... pairs) {
    Map<String, Double> v = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      v.put((String) pairs[i], ((Number) pairs[i + 1]).doubleValue());
    }
    return v;
  }
}
