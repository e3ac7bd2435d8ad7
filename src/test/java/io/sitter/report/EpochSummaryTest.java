package io.sitter.report;

import io.sitter.metrics.RoundMetrics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EpochSummaryTest {

  private static RoundMetrics round(int r, int epoch, long seen, Double loss, Double acc, Double valAcc) {
    return new RoundMetrics(r, epoch, r * 10L, seen, loss, acc, 1e-3, 1.0, 0.1, 0.8, 0.7, 0.1, 1000.0, null, valAcc, List.of());
  }

  @Test
  void trainAccuracyIsWeightedByExamplesOfEachRound() {
    List<RoundMetrics> rounds = new ArrayList<>();
    // Epoch 1: rounds of 100, 300 examples; epoch 2: 200 examples then a NaN round that must not count.
    rounds.add(round(1, 1, 100, 2.0, 0.2, null));
    rounds.add(round(2, 1, 400, 1.0, 0.6, 0.55));
    rounds.add(round(3, 2, 600, 0.8, 0.7, null));
    rounds.add(round(4, 2, 700, Double.NaN, Double.NaN, null));
    List<EpochSummary> s = EpochSummary.of(rounds);
    assertEquals(2, s.size());
    // Counted by hand: (100*0.2 + 300*0.6) / 400 = 0.5; (100*2 + 300*1) / 400 = 1.25.
    assertEquals(0.5, s.get(0).trainAccuracy(), 1e-12);
    assertEquals(1.25, s.get(0).trainLoss(), 1e-12);
    assertEquals(0.55, s.get(0).valAccuracy());
    assertEquals(0.7, s.get(1).trainAccuracy(), 1e-12, "the NaN round is left out, not averaged in");
    assertNull(s.get(1).valAccuracy(), "no validation in an unfinished epoch");
  }

  @Test
  void anEpochOfOnlyNonFiniteValuesHasNoAccuracy() {
    List<EpochSummary> s = EpochSummary.of(List.of(round(1, 1, 100, Double.NaN, Double.POSITIVE_INFINITY, null)));
    assertEquals(1, s.size());
    assertNull(s.get(0).trainAccuracy());
    assertNull(s.get(0).trainLoss());
  }
}
