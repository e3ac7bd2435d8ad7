package io.sitter.babysit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.config.BabysitConfig;
import io.sitter.config.ConfigLoader;
import io.sitter.config.ModelConfig.Activation;
import io.sitter.metrics.AbortVerdict;
import io.sitter.metrics.CheckResult;
import io.sitter.metrics.CheckResult.Status;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MonitorJudgeTest {
  private static final BabysitConfig C = ConfigLoader.defaults().babysit();

  @Test
  void updateRatioOutsideTheBandNamesLayerDirectionAndARate() {
    CheckResult high = MonitorJudge.updateRatio("dense_1", 3e-2, 3e-3, C, 4);
    assertEquals(Status.WARN, high.status());
    assertEquals("dense_1", high.layer());
    // 3e-3 * (1e-3 / 3e-2) = 1e-4
    assertEquals(1e-4, high.value("suggestedLearningRate"), 1e-12);
    assertEquals("Learning rate looks too high: layer dense_1 update/weight ratio 3e-2, healthy about 1e-3; try lr 1e-4.",
        high.hint());
    CheckResult low = MonitorJudge.updateRatio("output", 2e-6, 1e-3, C, 4);
    assertTrue(low.hint().startsWith("Learning rate looks too low: layer output"), low.hint());
    assertEquals(0.5, low.value("suggestedLearningRate"), 1e-12, "1e-3 * 500, within the factor-1000 cap");
    assertEquals(Status.PASS, MonitorJudge.updateRatio("dense_0", 1e-3, 1e-3, C, 4).status());
    assertEquals(Status.PASS, MonitorJudge.updateRatio("dense_0", C.updateRatioHigh(), 1e-3, C, 4).status(),
        "the band's edges are healthy");
    assertEquals(Status.WARN, MonitorJudge.updateRatio("dense_0", Double.NaN, 1e-3, C, 4).status());
  }

  @Test
  void deadUnitsWarnAboveTheThreshold() {
    int rows = 16;
    int cols = 8;
    float[] a = new float[rows * cols];
    for (int i = 0; i < rows; i++) {
      a[i * cols] = 1f; // only unit 0 ever fires
      a[i * cols + 1] = i % 2;
    }
    ActivationStats s = ActivationStats.of("dense_0", a, rows, cols, Activation.RELU, 4);
    CheckResult r = MonitorJudge.deadUnits(s, Activation.RELU, C, 2);
    assertEquals(Status.WARN, r.status());
    assertEquals(6.0 / 8, r.value("deadFraction"));
    assertTrue(r.hint().contains("75%") && r.hint().contains("dense_0"), r.hint());
  }

  @Test
  void saturationWarnsWhenMostOutputsSitAtTheLimits() {
    float[] a = {0.999f, -0.995f, 0.2f, 1f};
    ActivationStats s = ActivationStats.of("dense_2", a, 2, 2, Activation.TANH, 4);
    CheckResult r = MonitorJudge.saturation(s, Activation.TANH, C, 1);
    assertEquals(0.75, r.value("saturatedFraction"));
    assertEquals(Status.WARN, r.status());
  }

  /** One unit, two examples: -std and +std, so both std and signal std are {@code std}. */
  private static ActivationStats withStd(String layer, double std) {
    float v = (float) std;
    return ActivationStats.of(layer, new float[] {-v, v}, 2, 1, Activation.TANH, 2);
  }

  @Test
  void vanishingNeedsAShrinkingStdAtEveryLayerAndASmallRatio() {
    CheckResult vanish = MonitorJudge.vanishing(
        List.of(withStd("dense_0", 0.2), withStd("dense_1", 0.05), withStd("dense_2", 0.004)), C, 1);
    assertEquals(Status.WARN, vanish.status());
    assertEquals(0.004 / 0.2, vanish.value("lastOverFirst"), 1e-6);
    assertEquals("dense_2", vanish.layer());
    assertEquals(Status.PASS, MonitorJudge.vanishing(
        List.of(withStd("dense_0", 0.2), withStd("dense_1", 0.25), withStd("dense_2", 0.004)), C, 1).status(),
        "not shrinking at every layer");
    assertEquals(Status.PASS, MonitorJudge.vanishing(
        List.of(withStd("dense_0", 0.6), withStd("dense_1", 0.58)), C, 1).status(), "healthy BN-ReLU");
    assertEquals(Status.PASS, MonitorJudge.vanishing(List.of(withStd("dense_0", 1e-6)), C, 1).status(),
        "one layer has no trend");
  }

  @Test
  void fitReadsOverfittingUnderfittingAndChance() {
    List<CheckResult> over = MonitorJudge.fit(0.99, 0.80, 10, C, 1e-3, 5);
    assertEquals(Status.WARN, status(over, MonitorJudge.OVERFITTING));
    assertEquals(Status.PASS, status(over, MonitorJudge.UNDERFITTING));
    List<CheckResult> under = MonitorJudge.fit(0.45, 0.44, 10, C, 1e-3, 5);
    assertEquals(Status.PASS, status(under, MonitorJudge.OVERFITTING));
    assertEquals(Status.WARN, status(under, MonitorJudge.UNDERFITTING));
    assertEquals(Status.PASS, status(under, MonitorJudge.CHANCE));
    List<CheckResult> chance = MonitorJudge.fit(0.35, 0.10, 10, C, 1e-3, 5);
    assertEquals(Status.WARN, status(chance, MonitorJudge.OVERFITTING));
    assertEquals(Status.WARN, status(chance, MonitorJudge.CHANCE));
    List<CheckResult> healthy = MonitorJudge.fit(0.92, 0.89, 10, C, 1e-3, 5);
    assertTrue(healthy.stream().allMatch(r -> r.status() == Status.PASS));
  }

  private static Status status(List<CheckResult> rs, String check) {
    return rs.stream().filter(r -> r.check().equals(check)).findFirst().orElseThrow().status();
  }

  @Test
  void abortNamesRoundLargestRatioAndALowerRate() {
    Map<String, Double> ratios = new LinkedHashMap<>();
    ratios.put("dense_0", 2e-2);
    ratios.put("dense_1", 0.3);
    ratios.put("output", 5e-3);
    Optional<AbortVerdict> v = AbortRule.judge(7, 7.1, 2.30, ratios, 0.1, 3.0);
    assertTrue(v.isPresent());
    assertEquals(7, v.get().round());
    assertEquals("dense_1", v.get().layer());
    assertEquals(0.3, v.get().updateRatio());
    // 0.1 * 1e-3 / 0.3 = 3.3e-4 -> one digit 3e-4, lower than lr/10
    assertEquals(3e-4, v.get().suggestedLearningRate(), 1e-12);
    assertTrue(v.get().reason().startsWith("loss 7.1 > 3x initial 2.3 at round 7"), v.get().reason());
    assertTrue(v.get().reason().contains("dense_1"), v.get().reason());

    assertTrue(AbortRule.judge(3, 6.8, 2.30, ratios, 0.1, 3.0).isEmpty(), "6.8 < 3 x 2.3 = 6.9");
    AbortVerdict nan = AbortRule.judge(2, Double.NaN, 2.30, Map.of(), 0.01, 3.0).orElseThrow();
    assertNull(nan.layer());
    assertEquals(1e-3, nan.suggestedLearningRate(), 1e-12);
    assertTrue(nan.reason().startsWith("loss NaN at round 2"), nan.reason());
    Map<String, Double> blown = new LinkedHashMap<>();
    blown.put("dense_0", 0.5);
    blown.put("dense_1", Double.POSITIVE_INFINITY);
    assertEquals("dense_1", AbortRule.judge(2, Double.POSITIVE_INFINITY, 2.3, blown, 0.1, 3).orElseThrow().layer());
  }
}
