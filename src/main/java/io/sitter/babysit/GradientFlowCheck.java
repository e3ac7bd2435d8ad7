package io.sitter.babysit;

import static io.sitter.babysit.Numbers.format;

import io.sitter.metrics.CheckResult;
import io.sitter.metrics.CheckResult.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Vanishing or exploding gradients (AUTOTRAINER; SageMaker Debugger's vanishing_gradient and
 * exploding_tensor rules): the RMS gradient of the first layer's weights over the output layer's,
 * on the probe batch, in the median over the judged rounds. A ratio below {@code
 * vanishingGradientRatio} means the first layers barely learn; above {@code
 * explodingGradientRatio}, they get steps far larger than the rest.
 */
final class GradientFlowCheck implements Check<MonitorEvidence> {
  static final String NAME = "gradient_flow";

  @Override
  public List<CheckResult> judge(MonitorEvidence e) {
    Map<String, Double> g = e.current().gradientRms();
    if (g.size() < 2 || !e.decisive()) {
      return List.of();
    }
    List<String> layers = new ArrayList<>(g.keySet());
    String first = layers.get(0);
    String last = layers.get(layers.size() - 1);
    double ratio = e.median(r -> r.gradientRms().getOrDefault(first, Double.NaN)
        / r.gradientRms().getOrDefault(last, Double.NaN));
    Map<String, Double> v = new LinkedHashMap<>();
    g.forEach((layer, rms) -> v.put("gradientRms[" + layer + "]", rms));
    v.put("firstOverLast", ratio);
    v.put("vanishingThreshold", e.babysit().vanishingGradientRatio());
    v.put("explodingThreshold", e.babysit().explodingGradientRatio());
    String observed = "RMS gradient " + first + "/" + last + " " + format(ratio) + " (median over rounds)";
    String expected = "in [" + format(e.babysit().vanishingGradientRatio()) + ", "
        + format(e.babysit().explodingGradientRatio()) + "]";
    int round = e.current().round();
    // 0/0 (no gradient anywhere) says nothing about the flow through depth.
    if (Double.isNaN(ratio) || ratio >= e.babysit().vanishingGradientRatio() && ratio <= e.babysit().explodingGradientRatio()) {
      return List.of(CheckResult.monitor(NAME, first, Status.PASS, observed, expected,
          "Gradients reach the first layer at a sound scale.", v, round));
    }
    boolean vanishing = ratio < e.babysit().vanishingGradientRatio();
    return List.of(CheckResult.monitor(NAME, first, Status.WARN, observed, expected,
        (vanishing ? "Gradients vanish on their way back" : "Gradients explode on their way back") + " to layer " + first
            + " (" + observed + "); use batchNorm, or model.weightInit he (relu) / xavier (tanh).", v, round)
        .blaming(Cause.INIT_SCALE.id()));
  }
}
