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
  void initialLossIsJudgedAgainstWhatTheInitGivesNotAFixedBandAroundLnC() {
    // the two-class case: He init on the output layer gives 0.938, not ln 2 = 0.693
    assertEquals(Status.PASS, InitialLossCheck.judge(0.938, 0.93, 2, 0.25, 2.0).status());
    assertEquals(Status.PASS, InitialLossCheck.judge(2.40, 2.35, 10, 0.25, 2.0).status());
    CheckResult large = InitialLossCheck.judge(5.0, 5.1, 10, 0.25, 2.0);
    assertEquals(Status.FAIL, large.status());
    assertEquals("init_scale", large.cause());
    assertTrue(large.hint().contains("confidently wrong"), large.hint());
    assertEquals(5.1 - Math.log(10), large.value("excessOverLnC"), 1e-12);
    CheckResult leak = InitialLossCheck.judge(0.05, 2.35, 10, 0.25, 2.0);
    assertEquals(Status.FAIL, leak.status());
    assertTrue(leak.hint().contains("leak"), leak.hint());
    assertEquals((0.05 - 2.35) / 2.35, leak.value("relativeDeviation"), 1e-12);
    assertEquals(Status.FAIL, InitialLossCheck.judge(Double.NaN, 2.3, 10, 0.25, 2.0).status());
  }

  @Test
  void classBalanceAndInputScaleNameTheirCauses() {
    CheckResult skewed = ClassBalanceCheck.judge(new long[] {900, 50, 30}, 10);
    assertEquals(Status.WARN, skewed.status());
    assertEquals("class_imbalance", skewed.cause());
    assertEquals(30.0, skewed.value("ratio"));
    assertEquals(2.0, skewed.value("smallestClass"));
    assertEquals(Status.PASS, ClassBalanceCheck.judge(new long[] {100, 90, 120}, 10).status());
    assertEquals(Status.WARN, ClassBalanceCheck.judge(new long[] {100, 0}, 10).status(), "a class missing");
    CheckResult raw = InputScaleCheck.judge(2500, 3, 10);
    assertEquals("unnormalized_input", raw.cause());
    assertTrue(raw.hint().contains("feature 3"), raw.hint());
    assertEquals(Status.PASS, InputScaleCheck.judge(1.0, 0, 10).status());
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
    CheckResult slowButRight = OverfitCheck.judge(new OverfitOutcome(20, 300, 2.3, 0.2, 1.0, 1.0, 1e-3), 0.05, 300);
    assertEquals(Status.PASS, slowButRight.status(), "every example right: the net can learn, no warning");
    assertTrue(slowButRight.hint().contains("training is slow"), slowButRight.hint());
    CheckResult nan = OverfitCheck.judge(new OverfitOutcome(20, 3, 2.3, Double.NaN, 0.1, 1.0, 5), 0.05, 300);
    assertTrue(nan.hint().contains("too high"), nan.hint());
    // SGD at lr 8 (the gallery's blobs2d without BatchNorm): 1.88 -> 2.08 was called "far too low"
    CheckResult rose = OverfitCheck.judge(new OverfitOutcome(20, 300, 1.88, 2.08, 0.45, 1.0, 8), 0.05, 300);
    assertEquals(Status.FAIL, rose.status());
    assertEquals("lr_too_high", rose.cause(), rose.hint());
    assertTrue(rose.hint().contains("overshoots") && rose.hint().contains("try 0.8"), rose.hint());
    assertEquals("lr_too_low", slow.cause(), "a loss that fell a little is still a rate too low");
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
    CheckResult close = LrProbeCheck.judge(curve, 0.5);
    assertEquals(Status.PASS, close.status(), "within 4x of the explosion: a note, the monitors judge training");
    assertTrue(close.hint().contains("within 4x of where the loss explodes"), close.hint());
    CheckResult low = LrProbeCheck.judge(curve, 1e-5);
    assertEquals(Status.WARN, low.status());
    assertTrue(low.hint().startsWith("Learning rate looks too low"), low.hint());

    List<List<Double>> calm = curve(100, Double.POSITIVE_INFINITY);
    assertNull(LrProbeCheck.analyse(calm.get(0), calm.get(1)).explodes());
  }

  /**
   * A BatchNorm-like curve: falls to 0.5 around 1e-2, then climbs back to 1.0 by 1 without
   * exploding. The check notes it but does not warn: the range test's rate keeps growing, training's
   * does not, and the monitors judge whether training suffers.
   */
  @Test
  void aRateWhereTheLossHasClimbedBackIsNotedNotWarned() {
    List<Double> rates = new ArrayList<>();
    List<Double> losses = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      double rate = 1e-6 * Math.pow(1e6, i / 199.0);
      double x = Math.log10(rate);
      rates.add(rate);
      losses.add(x < -2 ? 2.3 - 1.8 / (1 + Math.exp(-3 * (x + 3.5))) : 0.5 + 0.25 * (x + 2));
    }
    LrProbeCurve curve = LrProbeCheck.analyse(rates, losses);
    assertNull(curve.explodes());
    int bottom = LrProbeCheck.bottom(curve);
    // the bottom recomputed: the smallest smoothed loss over the whole curve
    double min = curve.smoothed().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    assertEquals(min, curve.smoothed().get(bottom));
    assertTrue(curve.rates().get(bottom) > 5e-3 && curve.rates().get(bottom) < 3e-2, "bottom " + curve.rates().get(bottom));
    CheckResult high = LrProbeCheck.judge(curve, 0.5);
    assertEquals(Status.PASS, high.status());
    assertTrue(high.hint().contains("has climbed back"), high.hint());
    assertEquals(curve.rates().get(bottom), high.value("bottom"));
    assertEquals(Status.PASS, LrProbeCheck.judge(curve, 3e-3).status());
  }
}
