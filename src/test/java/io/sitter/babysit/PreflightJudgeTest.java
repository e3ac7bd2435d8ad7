package io.sitter.babysit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.metrics.CheckResult;
import io.sitter.metrics.CheckResult.Status;
import io.sitter.metrics.LrProbeCurve;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The preflight judges on hand-made numbers with known answers. */
class PreflightJudgeTest {
  @Test
  void initialLossNearLnCPassesFarAboveFailsFarBelowIsExplainedOrCalledALeak() {
    double ln10 = Math.log(10);
    assertEquals(Status.PASS, InitialLossCheck.judge(2.40, 10, ln10, 0.1, 0.25).status());
    CheckResult above = InitialLossCheck.judge(5.0, 10, ln10, 0.1, 0.25);
    assertEquals(Status.FAIL, above.status());
    assertTrue(above.hint().contains("too large"), above.hint());
    assertEquals((5.0 - ln10) / ln10, above.value("relativeDeviation"), 1e-12);
    // 90% one class: H = -(0.9 ln 0.9 + 9 * 0.0111 ln 0.0111) = 0.7052
    double h = -(0.9 * Math.log(0.9) + 9 * (0.1 / 9) * Math.log(0.1 / 9));
    CheckResult priors = InitialLossCheck.judge(0.71, 10, h, 0.9, 0.25);
    assertEquals(Status.WARN, priors.status());
    assertTrue(priors.hint().contains("unbalanced") && priors.hint().contains("90%"), priors.hint());
    CheckResult leak = InitialLossCheck.judge(0.05, 10, ln10, 0.1, 0.25);
    assertEquals(Status.FAIL, leak.status());
    assertTrue(leak.hint().contains("leak"), leak.hint());
    assertEquals(Status.FAIL, InitialLossCheck.judge(Double.NaN, 10, ln10, 0.1, 0.25).status());
  }

  @Test
  void regularizationMustRaiseTheLossByThePenaltyAndNotDominateIt() {
    assertEquals(Status.PASS, RegularizationCheck.judge(2.3, 2.8, 0.1, true, 0.5).status());
    CheckResult none = RegularizationCheck.judge(2.3, 2.3, 0.1, false, 0.5);
    assertEquals(Status.FAIL, none.status());
    assertTrue(none.hint().contains("never reaches the loss"), none.hint());
    CheckResult zero = RegularizationCheck.judge(2.3, 2.3, 0.1, false, 0.0);
    assertTrue(zero.hint().contains("all weights are zero"), zero.hint());
    assertEquals(Status.WARN, RegularizationCheck.judge(2.3, 2.5, 0.1, false, 0.5).status(), "penalty 0.2 vs 0.5");
    CheckResult huge = RegularizationCheck.judge(2.3, 60.3, 10, false, 58.0);
    assertEquals(Status.WARN, huge.status());
    assertTrue(huge.hint().startsWith("Regularization dominates the loss"), huge.hint());
    // 10 * 0.1 * 2.3 / 58 = 0.0397 -> 0.04
    assertEquals(0.04, huge.value("suggestedL2"), 1e-12);
    assertEquals(Status.PASS, RegularizationCheck.judge(2.3, 60.3, 0.1, true, 58.0).status(),
        "the probe strength is ours: its size is no finding");
  }

  @Test
  void overfitVerdictSaysWhatTheNumbersSuggest() {
    assertEquals(Status.PASS, OverfitCheck.judge(new OverfitOutcome(20, 150, 2.3, 0.04, 1.0, 1.0, 1e-3), 0.05, 300).status());
    CheckResult bug = OverfitCheck.judge(new OverfitOutcome(20, 300, 2.3, 0.9, 0.7, 0.75, 1e-3), 0.05, 300);
    assertTrue(bug.hint().startsWith("Data or label bug"), bug.hint());
    CheckResult slow = OverfitCheck.judge(new OverfitOutcome(20, 300, 2.3, 2.25, 0.2, 1.0, 1e-7), 0.05, 300);
    assertEquals(Status.FAIL, slow.status());
    assertTrue(slow.hint().contains("far too low") && slow.hint().contains("try lr 1e-6"), slow.hint());
    CheckResult weak = OverfitCheck.judge(new OverfitOutcome(20, 300, 2.3, 0.8, 0.7, 1.0, 1e-3), 0.05, 300);
    assertTrue(weak.hint().contains("too weak"), weak.hint());
    assertEquals(Status.WARN, OverfitCheck.judge(new OverfitOutcome(20, 300, 2.3, 0.2, 1.0, 1.0, 1e-3), 0.05, 300).status());
    CheckResult nan = OverfitCheck.judge(new OverfitOutcome(20, 3, 2.3, Double.NaN, 0.1, 1.0, 5), 0.05, 300);
    assertTrue(nan.hint().contains("too high"), nan.hint());
  }

  /** A synthetic range test: flat, then falling fastest around 1e-2, then blowing up past 1. */
  private static List<List<Double>> curve(int steps, double explodeAt) {
    List<Double> rates = new ArrayList<>();
    List<Double> losses = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      double rate = 1e-6 * Math.pow(1e7, i / (steps - 1.0));
      double x = Math.log10(rate);
      double loss = 1.0 + 1.0 / (1 + Math.exp(3 * (x + 2))); // logistic drop centred at 1e-2: 2 -> 1
      if (rate > explodeAt) {
        loss = 50;
      }
      rates.add(rate);
      losses.add(loss);
    }
    return List.of(rates, losses);
  }

  @Test
  void rangeTestFindsTheSteepestRateAndTheExplosion() {
    List<List<Double>> c = curve(200, 1.0);
    LrProbeCurve curve = LrProbeCheck.analyse(c.get(0), c.get(1));
    // The smoothed curve lags the raw one by a few steps (each step is 10^(7/199) = 1.08x), so the
    // steepest smoothed descent is a little above the raw curve's centre 1e-2.
    assertTrue(curve.steepest() > 0.8e-2 && curve.steepest() < 2e-2, "steepest " + curve.steepest());
    int firstAbove = 0;
    while (c.get(0).get(firstAbove) <= 1.0) {
      firstAbove++;
    }
    assertEquals(c.get(0).get(firstAbove), curve.explodes(), "a jump to 50x explodes at once");
    assertEquals(Numbers.oneDigit(Math.min(curve.steepest(), curve.explodes() / 10)), curve.suggested());

    assertEquals(Status.PASS, LrProbeCheck.judge(curve, 3e-3).status());
    assertEquals(Status.FAIL, LrProbeCheck.judge(curve, 2.0).status());
    assertEquals(Status.WARN, LrProbeCheck.judge(curve, 0.5).status(), "within 4x of the explosion");
    CheckResult low = LrProbeCheck.judge(curve, 1e-5);
    assertEquals(Status.WARN, low.status());
    assertTrue(low.hint().startsWith("Learning rate looks too low"), low.hint());

    List<List<Double>> calm = curve(100, Double.POSITIVE_INFINITY);
    assertNull(LrProbeCheck.analyse(calm.get(0), calm.get(1)).explodes());
  }
}
