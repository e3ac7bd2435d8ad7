package io.sitter.babysit;

import static io.sitter.babysit.Numbers.percent;

import io.sitter.config.ModelConfig.Activation;
import io.sitter.metrics.CheckResult;
import io.sitter.metrics.CheckResult.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Saturated tanh/sigmoid units (AUTOTRAINER's saturated-activation symptom; CS231n: "saturated
 * neurons kill the gradients"): the median over the judged rounds of the share of a layer's
 * outputs at the function's limits.
 */
final class SaturationCheck implements Check<MonitorEvidence> {
  static final String NAME = "saturation";

  @Override
  public List<CheckResult> judge(MonitorEvidence e) {
    List<CheckResult> out = new ArrayList<>();
    Activation a = e.model().activation();
    if (a != Activation.TANH && a != Activation.SIGMOID || !e.decisive()) {
      return out;
    }
    double threshold = e.babysit().saturationThreshold();
    for (int i = 0; i < e.current().hidden().size(); i++) {
      int layer = i;
      String name = e.current().hidden().get(i).layer();
      double saturated = e.median(r -> r.hidden().get(layer).saturatedFraction());
      Map<String, Double> v = Values.of("saturatedFraction", saturated, "threshold", threshold);
      String observed = percent(saturated) + " saturated (median over rounds)";
      String expected = "at most " + percent(threshold);
      out.add(saturated > threshold
          ? CheckResult.monitor(NAME, name, Status.WARN, observed, expected,
              "Layer " + name + ": " + percent(saturated) + " of its " + a.key() + " outputs sit at the function's "
                  + "limits, where the gradient vanishes; use batchNorm, a smaller weight init (xavier), or relu.", v,
              e.current().round()).blaming(Cause.SATURATION.id())
          : CheckResult.monitor(NAME, name, Status.PASS, observed, expected, "Layer " + name + " is not saturated.", v,
              e.current().round()));
    }
    return out;
  }
}
