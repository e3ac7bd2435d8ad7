package io.sitter.babysit;

import static io.sitter.babysit.Numbers.format;

import io.sitter.metrics.CheckResult;
import io.sitter.metrics.CheckResult.Status;
import java.util.List;
import java.util.Map;

/**
 * Preflight: inputs not normalized. Standardized features have a root mean square of 1 and pixels
 * scaled to [0, 1] about 0.5; a feature far above that (raw pixels, prices, areas in the thousands)
 * makes the first layer's pre-activations and gradients that many times larger than its init
 * assumes (CS231n, "data preprocessing": zero-center and normalize).
 */
final class InputScaleCheck implements Check<PreflightEvidence> {
  static final String NAME = "input_scale";

  @Override
  public List<CheckResult> judge(PreflightEvidence e) {
    return List.of(judge(e.sums().maxFeatureRms(), e.sums().maxFeature(), e.config().babysit().inputScaleMax()));
  }

  /**
   * @param maxRms the largest root mean square over the features, on the sample
   * @param feature that feature's index
   */
  static CheckResult judge(double maxRms, int feature, double threshold) {
    Map<String, Double> v = Values.of("maxFeatureRms", maxRms, "feature", feature, "threshold", threshold);
    String observed = "largest feature root mean square " + format(maxRms) + " (feature " + feature + ")";
    String expected = "at most " + format(threshold) + " (standardized: 1)";
    if (!(maxRms <= threshold)) {
      return CheckResult.preflight(NAME, Status.WARN, observed, expected,
          "The features are not normalized: feature " + feature + " has a root mean square of " + format(maxRms)
              + "; prepare the data with sitter prep --mode standardize.", v).blaming(Cause.UNNORMALIZED_INPUT.id());
    }
    return CheckResult.preflight(NAME, Status.PASS, observed, expected, "The features are on a sound scale.", v);
  }
}
