package io.sitter.report;

import io.sitter.metrics.TrialRecord;
import io.sitter.metrics.LayerMetrics;
import io.sitter.metrics.RoundMetrics;
import io.sitter.metrics.CheckResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What happened, in sentences shown above everything else: an abort, failed checks, metrics that
 * went NaN or infinite (and from which round), a run too short to draw curves, files missing.
 */
final class Banners {
  enum Level { ERROR, WARN, INFO }

  record Banner(Level level, String text) {}

  private Banners() {}

  static List<Banner> of(Run run) {
    List<Banner> out = new ArrayList<>();
    run.checks().flatMap(c -> java.util.Optional.ofNullable(c.aborted())).ifPresent(a -> out.add(new Banner(
        Level.ERROR,
        "Training was aborted by the babysitter"
            + " at round " + a.round()
            + (a.reason() == null ? "." : ": " + a.reason() + ".")
            + (EpochSummary.finite(a.suggestedLearningRate())
                ? " Try a learning rate of " + ReportPage.number(a.suggestedLearningRate())
                    + (EpochSummary.finite(a.learningRate()) ? " (it was " + ReportPage.number(a.learningRate()) + ")." : ".")
                : ""))));
    run.checks().ifPresent(c -> {
      // One name per check, with the layers a per-layer monitor failed in: "update_ratio (dense_0, output)".
      Map<String, List<String>> failed = new LinkedHashMap<>();
      c.checks().stream().filter(v -> v.status() == CheckResult.Status.FAIL).forEach(v -> {
        List<String> layers = failed.computeIfAbsent(v.check(), k -> new ArrayList<>());
        if (v.layer() != null) {
          layers.add(v.layer());
        }
      });
      if (!failed.isEmpty()) {
        List<String> names = new ArrayList<>();
        failed.forEach((check, layers) -> names.add(layers.isEmpty() ? check : check + " (" + String.join(", ", layers) + ")"));
        out.add(new Banner(Level.ERROR, (failed.size() == 1 ? "A check failed: " : failed.size() + " checks failed: ")
            + String.join(", ", names) + ". The table below says what to do."));
      }
    });
    Map<String, String> firstBad = firstNonFinite(run.rounds());
    if (!firstBad.isEmpty()) {
      List<String> parts = new ArrayList<>();
      firstBad.forEach((metric, where) -> parts.add(metric + " " + where));
      out.add(new Banner(Level.WARN, "Non-finite metrics: " + String.join("; ", parts)
          + ". Charts leave a gap where a value is NaN or infinite; the raw values are in metrics.csv."));
    }
    if (run.rounds().size() == 1) {
      out.add(new Banner(Level.INFO, "Only one round was recorded: every curve is a single point."));
    }
    run.notes().forEach(n -> out.add(new Banner(Level.WARN, n)));
    if (run.rounds().isEmpty() && run.trials().isEmpty()) {
      out.add(new Banner(Level.INFO, "No " + io.sitter.storage.RunDirectory.METRICS + " in this directory: no training curves to show."));
    }
    if (run.trials().stream().anyMatch(TrialRecord::aborted)) {
      long n = run.trials().stream().filter(TrialRecord::aborted).count();
      out.add(new Banner(Level.WARN, n + " of " + run.trials().size()
          + " search trials were aborted; hover over their marks for the reason."));
    }
    return out;
  }

  /**
   * Metric -> "first NaN at round 12", for each metric with a non-finite value, in first-seen order.
   * A per-layer metric is one entry (e.g. "update_ratio[dense_0, output]"), so a net of many layers
   * that blew up gets one readable line, not one per layer.
   */
  static Map<String, String> firstNonFinite(List<RoundMetrics> rounds) {
    Map<String, Function<RoundMetrics, Double>> scalars = new LinkedHashMap<>();
    scalars.put("train_loss", RoundMetrics::trainLoss);
    scalars.put("val_loss", RoundMetrics::valLoss);
    scalars.put("train_accuracy", RoundMetrics::trainAccuracy);
    scalars.put("val_accuracy", RoundMetrics::valAccuracy);
    scalars.put("lr", RoundMetrics::lr);
    Map<String, Function<LayerMetrics, Double>> perLayer = new LinkedHashMap<>();
    perLayer.put("update_ratio", LayerMetrics::updateRatio);
    perLayer.put("act_mean", LayerMetrics::actMean);
    perLayer.put("act_std", LayerMetrics::actStd);
    Map<String, String> out = new LinkedHashMap<>();
    Map<String, String> firstOfKind = new LinkedHashMap<>();
    Map<String, java.util.Set<String>> layersOfKind = new LinkedHashMap<>();
    for (RoundMetrics r : rounds) {
      scalars.forEach((name, get) -> note(out, name, get.apply(r), r.round()));
      for (LayerMetrics l : r.layers()) {
        perLayer.forEach((name, get) -> {
          Double v = get.apply(l);
          if (v != null && !Double.isFinite(v)) {
            note(firstOfKind, name, v, r.round());
            layersOfKind.computeIfAbsent(name, k -> new java.util.LinkedHashSet<>()).add(l.layer());
          }
        });
      }
    }
    firstOfKind.forEach((name, where) -> out.put(name + "[" + String.join(", ", layersOfKind.get(name)) + "]", where));
    return out;
  }

  private static void note(Map<String, String> out, String name, Double v, int round) {
    if (v != null && !Double.isFinite(v) && !out.containsKey(name)) {
      out.put(name, "first " + (v.isNaN() ? "NaN" : v > 0 ? "+Infinity" : "-Infinity") + " at round " + round);
    }
  }
}
