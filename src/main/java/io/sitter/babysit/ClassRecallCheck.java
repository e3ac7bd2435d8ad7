package io.sitter.babysit;

import static io.sitter.babysit.Numbers.format;

import io.sitter.metrics.CheckResult;
import io.sitter.metrics.CheckResult.Status;
import io.sitter.metrics.EvaluationResult.PerClass;
import java.util.List;
import java.util.Map;

/**
 * Class imbalance seen in what the network learned: at the last epoch, on the validation split,
 * the recall of the minority classes (those with fewer than 1/{@code imbalanceRatio} of the
 * largest class's examples). Accuracy hides them (97% of one class gives 0.97 for never predicting
 * the others); per-class recall does not (He and Garcia 2009, "Learning from Imbalanced Data").
 * Below {@code minorityRecall} the network has learned to predict the large classes only.
 */
final class ClassRecallCheck implements Check<MonitorEvidence> {
  static final String NAME = "minority_recall";

  @Override
  public List<CheckResult> judge(MonitorEvidence e) {
    RoundObservation o = e.current();
    List<PerClass> classes = o.valPerClass();
    if (!o.lastEpoch() || classes.isEmpty()) {
      return List.of();
    }
    long largest = classes.stream().mapToLong(PerClass::support).max().orElse(0);
    double ratio = e.babysit().imbalanceRatio();
    List<PerClass> minority = classes.stream().filter(c -> c.support() > 0 && c.support() * ratio < largest).toList();
    if (minority.isEmpty()) {
      return List.of();
    }
    PerClass worst = minority.stream().min((a, b) -> Double.compare(a.recall(), b.recall())).orElseThrow();
    double recall = minority.stream().mapToDouble(PerClass::recall).average().orElse(Double.NaN);
    Map<String, Double> v = Values.of("minorityClasses", minority.size(), "minorityRecall", recall,
        "worstRecall", worst.recall(), "worstSupport", worst.support(), "largestSupport", largest,
        "threshold", e.babysit().minorityRecall());
    String observed = minority.size() + " minority class(es) with at most 1/" + format(ratio) + " of the largest's "
        + largest + " validation examples: mean recall " + format(recall) + " (class " + worst.name() + ": "
        + format(worst.recall()) + " of " + worst.support() + ")";
    String expected = "mean minority recall at least " + format(e.babysit().minorityRecall());
    if (recall < e.babysit().minorityRecall()) {
      return List.of(CheckResult.monitor(NAME, null, Status.WARN, observed, expected,
          "The network misses the small classes (" + observed + "): it has learned to predict the large ones; "
              + "resample or reweight the training split.", v, o.round()).blaming(Cause.CLASS_IMBALANCE.id()));
    }
    return List.of(CheckResult.monitor(NAME, null, Status.PASS, observed, expected,
        "The small classes are recognised.", v, o.round()));
  }
}
