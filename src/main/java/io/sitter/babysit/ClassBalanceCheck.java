package io.sitter.babysit;

import static io.sitter.babysit.Numbers.format;

import io.sitter.metrics.CheckResult;
import io.sitter.metrics.CheckResult.Status;
import java.util.List;
import java.util.Map;

/**
 * Preflight: class imbalance, the largest class's examples over the smallest's in the sample. From
 * 1:10 on, a network can reach a high accuracy by predicting the large classes and never learn the
 * small ones (He and Garcia 2009, "Learning from Imbalanced Data").
 */
final class ClassBalanceCheck implements Check<PreflightEvidence> {
  static final String NAME = "class_balance";

  @Override
  public List<CheckResult> judge(PreflightEvidence e) {
    return List.of(judge(e.sums().classCounts(), e.config().babysit().imbalanceRatio()));
  }

  static CheckResult judge(long[] classCounts, double threshold) {
    long largest = 0;
    long smallest = Long.MAX_VALUE;
    int small = 0;
    for (int c = 0; c < classCounts.length; c++) {
      largest = Math.max(largest, classCounts[c]);
      if (classCounts[c] < smallest) {
        smallest = classCounts[c];
        small = c;
      }
    }
    double ratio = smallest == 0 ? Double.POSITIVE_INFINITY : (double) largest / smallest;
    Map<String, Double> v = Values.of("largest", largest, "smallest", smallest, "smallestClass", small,
        "ratio", ratio, "threshold", threshold);
    String observed = "largest class " + largest + " examples, smallest (class " + small + ") " + smallest
        + ": ratio " + format(ratio);
    String expected = "ratio at most " + format(threshold);
    if (ratio > threshold) {
      return CheckResult.preflight(NAME, Status.WARN, observed, expected,
          "The classes are badly unbalanced (" + observed + "); the network may learn to predict the large classes "
              + "only; resample the training split.", v).blaming(Cause.CLASS_IMBALANCE.id());
    }
    return CheckResult.preflight(NAME, Status.PASS, observed, expected, "The classes are balanced enough.", v);
  }
}
