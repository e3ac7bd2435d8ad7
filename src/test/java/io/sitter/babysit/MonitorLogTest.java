package io.sitter.babysit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sitter.config.BabysitConfig;
import io.sitter.config.ConfigLoader;
import io.sitter.metrics.CheckResult;
import io.sitter.metrics.CheckResult.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class MonitorLogTest {
  private static final BabysitConfig C = ConfigLoader.defaults().babysit();

  @Test
  void keepsFirstAndLastRoundAWarningFiredAndItsLastValue() {
    MonitorLog log = new MonitorLog();
    double[] ratios = {1e-3, 2e-2, 1e-3, 5e-2, 1e-3};
    for (int round = 1; round <= ratios.length; round++) {
      log.record(List.of(ratio("dense_0", ratios[round - 1], round), ratio("dense_1", 1e-3, round)));
    }
    List<CheckResult> results = log.results();
    assertEquals(2, results.size());
    CheckResult d0 = results.get(0);
    assertEquals("dense_0", d0.layer());
    assertEquals(Status.WARN, d0.status());
    assertEquals(2, d0.firstRound());
    assertEquals(4, d0.lastRound());
    assertEquals(5e-2, d0.value("updateRatio"));
    CheckResult d1 = results.get(1);
    assertEquals(Status.PASS, d1.status());
    assertEquals(1, d1.firstRound());
    assertEquals(5, d1.lastRound());
    assertEquals(List.of(d0), log.fired());
  }

  @Test
  void aVerdictWithoutRoundIsRejected() {
    MonitorLog log = new MonitorLog();
    CheckResult preflight = CheckResult.preflight("x", Status.PASS, "o", "e", "h", null);
    assertThrows(IllegalArgumentException.class, () -> log.record(List.of(preflight)));
  }

  /** A verdict on one round's update ratio: a warning outside the configured band. */
  private static CheckResult ratio(String layer, double r, int round) {
    boolean out = r > C.updateRatioHigh() || r < C.updateRatioLow();
    return CheckResult.monitor(UpdateRatioCheck.NAME, layer, out ? Status.WARN : Status.PASS, "ratio " + r, "band",
        out ? "too high" : "fine", Values.of("updateRatio", r), round);
  }
}
