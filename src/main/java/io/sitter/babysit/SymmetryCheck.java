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
final class SymmetryCheck implements MonitorCheck {
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
      boolean alike = s.units() > 1 && e.judged().stream().allMatch(r -> r.hidden().get(layer).distinctUnits() == 1);
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
}
