package io.sitter.report;

import io.sitter.metrics.RoundMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Train and validation accuracy per epoch. A round's {@code train_accuracy} is measured on that
 * round's examples, so the epoch's train accuracy is the mean over its rounds weighted by how many
 * examples each round saw ({@code examples_seen} minus the previous row's). Validation is the
 * epoch's last non-null {@code val_accuracy} (the trainer writes it once, at the epoch's end).
 * Non-finite or missing values take no part; an epoch with none has {@code null}.
 */
record EpochSummary(int epoch, Double trainAccuracy, Double valAccuracy, Double trainLoss, Double valLoss) {

  static List<EpochSummary> of(List<RoundMetrics> rounds) {
    Map<Integer, double[]> sums = new TreeMap<>(); // epoch -> {acc*w, w(acc), loss*w, w(loss)}
    Map<Integer, Double> val = new TreeMap<>();
    Map<Integer, Double> valLoss = new TreeMap<>();
    long previousSeen = 0;
    for (RoundMetrics r : rounds) {
      long weight = Math.max(0, r.examplesSeen() - previousSeen);
      previousSeen = r.examplesSeen();
      double[] s = sums.computeIfAbsent(r.epoch(), e -> new double[4]);
      if (finite(r.trainAccuracy())) {
        s[0] += weight * r.trainAccuracy();
        s[1] += weight;
      }
      if (finite(r.trainLoss())) {
        s[2] += weight * r.trainLoss();
        s[3] += weight;
      }
      if (finite(r.valAccuracy())) {
        val.put(r.epoch(), r.valAccuracy());
      }
      if (finite(r.valLoss())) {
        valLoss.put(r.epoch(), r.valLoss());
      }
    }
    List<EpochSummary> out = new ArrayList<>();
    sums.forEach((epoch, s) -> out.add(new EpochSummary(
        epoch, s[1] > 0 ? s[0] / s[1] : null, val.get(epoch), s[3] > 0 ? s[2] / s[3] : null, valLoss.get(epoch))));
    return out;
  }

  static boolean finite(Double v) {
    return v != null && Double.isFinite(v);
  }
}
