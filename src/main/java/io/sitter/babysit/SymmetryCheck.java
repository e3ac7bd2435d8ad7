package io.sitter.babysit;

import io.sitter.metrics.CheckResult;
import io.sitter.metrics.CheckResult.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Units that all compute the same function in every judged round: nothing broke their symmetry at
 * initialisation (CS231n: with "all zero initialization" every neuron computes the same output and
 * receives the same gradient), so the layer is one unit wide however many it has.
 */
final class SymmetryCheck implements Check<MonitorEvidence> {
  static final String NAME = "symmetric_units";

  @Override
  public List<CheckResult> judge(MonitorEvidence e) {
    List<CheckResult> out = new ArrayList<>();
    if (!e.decisive()) {
      return out;
    }
    for (int i = 0; i < e.current().hidden().size(); i++) {
      int layer = i;
      ActivationStats s = e.current().hidden().get(i);
      boolean relu = e.model().activation() == io.sitter.config.ModelConfig.Activation.RELU;
      boolean alike = s.units() > 1 && e.judged().stream().allMatch(r -> identical(r.hidden().get(layer), relu));
      Map<String, Double> v = Values.of("distinctUnits", s.distinctUnits(), "units", s.units());
      String observed = s.distinctUnits() + " distinct of " + s.units() + " units";
      out.add(alike
          ? CheckResult.monitor(NAME, s.layer(), Status.WARN, observed, "units that differ",
              "All " + s.units() + " units of layer " + s.layer() + " output the same values on the probe batch: "
                  + "their weights started identical (model.weightInit zero?) and receive identical updates; use he "
                  + "(relu) or xavier (tanh) init.", v, e.current().round()).blaming(Cause.SYMMETRIC_INIT.id())
          : CheckResult.monitor(NAME, s.layer(), Status.PASS, observed, "units that differ",
              "Units of layer " + s.layer() + " differ.", v, e.current().round()));
    }
    return out;
  }

  /**
   * One distinct unit with finite outputs. ReLU units that are all dead (every output 0) or any
   * units blown up (NaN after a diverging step) are alike too, but those are dead_relu's and
   * lr_too_high's symptoms, not a symmetric init. (tanh and sigmoid outputs are all 0 or 0.5 only
   * when weights and biases are: that is the zero init.)
   */
  static boolean identical(ActivationStats s, boolean relu) {
    return s.distinctUnits() == 1 && !(relu && s.deadFraction() >= 1) && Double.isFinite(s.mean())
        && Double.isFinite(s.std());
  }
}
