package io.sitter.babysit;

import static io.sitter.babysit.Numbers.format;

import io.sitter.metrics.CheckResult;
import io.sitter.metrics.CheckResult.Status;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Poor init seen in the activations (Glorot and Bengio 2010: the activation variance should stay
 * about constant through depth): the signal std (each unit's spread across the probe examples, see
 * {@link ActivationStats#signalStd}) shrinks at every hidden layer to below {@code
 * vanishingStdRatio} of the first's, or grows at every layer to above {@code explodingStdRatio}
 * times it, in the median over the judged rounds. The same in the untrained network (the init
 * itself, measured before round 1) counts only when the training suffers ({@link
 * MonitorEvidence#suffering()}): Adam can grow a 0.01-scale init back to a sound scale within its
 * first round, and the damage stays (steps of about the rate in every weight's sign direction make
 * the units alike; a 4-layer tanh net on 4 blobs ends at 0.54 validation accuracy, observed in the
 * gallery's sick-small-init-deep-tanh), or it does not, and then the init did no harm. Needs two
 * hidden layers or more.
 */
final class ActivationScaleCheck implements Check<MonitorEvidence> {
  static final String NAME = "activation_scale";

  @Override
  public List<CheckResult> judge(MonitorEvidence e) {
    List<ActivationStats> hidden = e.current().hidden();
    if (hidden.size() < 2 || !e.decisive()) {
      return List.of();
    }
    double ratio = e.median(ActivationScaleCheck::lastOverFirst);
    boolean shrinking = e.judged().stream().allMatch(r -> monotone(r.hidden(), -1));
    boolean growing = e.judged().stream().allMatch(r -> monotone(r.hidden(), 1));
    Map<String, Double> v = new LinkedHashMap<>();
    hidden.forEach(s -> v.put("std[" + s.layer() + "]", s.signalStd()));
    v.put("lastOverFirst", ratio);
    v.put("vanishingThreshold", e.babysit().vanishingStdRatio());
    v.put("explodingThreshold", e.babysit().explodingStdRatio());
    String stds = hidden.stream().map(s -> format(s.signalStd())).toList().toString();
    String observed = "std across examples by layer " + stds + ", last/first " + format(ratio);
    String expected = "last/first in [" + format(e.babysit().vanishingStdRatio()) + ", "
        + format(e.babysit().explodingStdRatio()) + "]";
    String last = hidden.get(hidden.size() - 1).layer();
    int round = e.current().round();
    if (shrinking && !(ratio >= e.babysit().vanishingStdRatio())) {
      return List.of(CheckResult.monitor(NAME, last, Status.WARN, observed, expected,
          "Activations vanish layer by layer (" + observed + "): the weight init is too small for this depth, so "
              + "gradients vanish too; use model.weightInit xavier (tanh) or he (relu), or batchNorm.", v, round)
          .blaming(Cause.INIT_SCALE.id()));
    }
    if (growing && ratio > e.babysit().explodingStdRatio()) {
      return List.of(CheckResult.monitor(NAME, last, Status.WARN, observed, expected,
          "Activations explode layer by layer (" + observed + "): the weight init is too large for this depth; use "
              + "model.weightInit he (relu) or xavier (tanh), or batchNorm.", v, round).blaming(Cause.INIT_SCALE.id()));
    }
    List<ActivationStats> init = e.initial();
    if (init.size() >= 2 && e.suffering()) {
      double initRatio = init.get(init.size() - 1).signalStd() / init.get(0).signalStd();
      v.put("initLastOverFirst", initRatio);
      String atInit = "at init: std across examples by layer " + init.stream().map(s -> format(s.signalStd())).toList()
          + ", last/first " + format(initRatio) + "; training suffers";
      if (monotone(init, -1) && initRatio < e.babysit().vanishingStdRatio()) {
        return List.of(CheckResult.monitor(NAME, last, Status.WARN, atInit, expected,
            "The untrained network's activations vanish layer by layer (" + atInit + "): the weight init is too small "
                + "for this depth; use model.weightInit xavier (tanh) or he (relu), or batchNorm.", v, round)
            .blaming(Cause.INIT_SCALE.id()));
      }
      if (monotone(init, 1) && initRatio > e.babysit().explodingStdRatio()) {
        return List.of(CheckResult.monitor(NAME, last, Status.WARN, atInit, expected,
            "The untrained network's activations explode layer by layer (" + atInit + "): the weight init is too large "
                + "for this depth; use model.weightInit he (relu) or xavier (tanh), or batchNorm.", v, round)
            .blaming(Cause.INIT_SCALE.id()));
      }
    }
    return List.of(CheckResult.monitor(NAME, last, Status.PASS, observed, expected,
        "Activation scale holds up through the layers.", v, round));
  }

  static double lastOverFirst(RoundObservation r) {
    List<ActivationStats> h = r.hidden();
    return h.get(h.size() - 1).signalStd() / h.get(0).signalStd();
  }

  /** Whether the signal std strictly falls (direction -1) or rises (+1) at every hidden layer. */
  static boolean monotone(List<ActivationStats> h, int direction) {
    for (int i = 1; i < h.size(); i++) {
      double d = h.get(i).signalStd() - h.get(i - 1).signalStd();
      if (!(d * direction > 0)) {
        return false;
      }
    }
    return true;
  }
}
