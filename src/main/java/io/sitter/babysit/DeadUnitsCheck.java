package io.sitter.babysit;

import static io.sitter.babysit.Numbers.percent;

import io.sitter.config.ModelConfig.Activation;
import io.sitter.metrics.CheckResult;
import io.sitter.metrics.CheckResult.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Dead ReLUs (AUTOTRAINER's dying-ReLU symptom): the median over the judged rounds of the share of
 * a layer's units that output 0 for every probe example. Only ReLU outputs exact zeros; leaky ReLU
 * and ELU units cannot die that way, tanh and sigmoid have {@link SaturationCheck}.
 */
final class DeadUnitsCheck implements Check<MonitorEvidence> {
  static final String NAME = "dead_units";

  @Override
  public List<CheckResult> judge(MonitorEvidence e) {
    List<CheckResult> out = new ArrayList<>();
    if (e.model().activation() != Activation.RELU || !e.decisive()) {
      return out;
    }
    double threshold = e.babysit().deadUnitThreshold();
    for (int i = 0; i < e.current().hidden().size(); i++) {
      int layer = i;
      ActivationStats s = e.current().hidden().get(i);
      double dead = e.median(r -> r.hidden().get(layer).deadFraction());
      Map<String, Double> v = Values.of("deadFraction", dead, "threshold", threshold, "units", s.units(),
          "examples", s.examples());
      String observed = percent(dead) + " of " + s.units() + " units never fire (median over rounds)";
      String expected = "at most " + percent(threshold);
      out.add(dead > threshold
          ? CheckResult.monitor(NAME, s.layer(), Status.WARN, observed, expected,
              "Layer " + s.layer() + ": " + percent(dead) + " of its relu units output 0 for every one of "
                  + s.examples() + " probe examples (dead units); use model.biasInit 0, a lower learning rate, or "
                  + "leakyrelu.", v, e.current().round()).blaming(Cause.DEAD_RELU.id())
          : CheckResult.monitor(NAME, s.layer(), Status.PASS, observed, expected,
              "Layer " + s.layer() + " has few dead units.", v, e.current().round()));
    }
    return out;
  }
}
