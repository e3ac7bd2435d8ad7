package io.sitter.bench.alternatives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlternativesSummaryTest {
  private static JsonNode run(String contestant, String variant, double samplesPerSecond, Double to088, double accuracy) {
    ObjectNode o = Contestants.JSON.createObjectNode().put("contestant", contestant).put("variant", variant).put("epochs", 8)
        .put("samples_per_second", samplesPerSecond).put("training_seconds", 1.0).put("final_accuracy", accuracy)
        .put("best_accuracy", accuracy).putNull("seconds_to_0.85");
    if (to088 == null) {
      o.putNull("seconds_to_0.88");
    } else {
      o.put("seconds_to_0.88", to088);
    }
    return o;
  }

  @Test
  void mediansCountAnAccuracyNeverReachedAsInfinite() {
    Map<String, ObjectNode> m = AlternativesSummary.medians(List.of(
        run("sitter", "K=auto", 300, 10.0, 0.88),
        run("sitter", "K=auto", 100, null, 0.87),
        run("sitter", "K=auto", 200, 30.0, 0.89),
        run("mllib_mlp", "l-bfgs", 50, null, 0.80),
        run("mllib_mlp", "l-bfgs", 60, 100.0, 0.881)));
    ObjectNode s = m.get("sitter K=auto");
    assertEquals(3, s.get("runs").asInt());
    assertEquals(200, s.get("samples_per_second").asDouble());
    assertEquals(30.0, s.get("seconds_to_0.88").asDouble()); // {10, 30, inf}
    assertTrue(m.get("mllib_mlp l-bfgs").get("seconds_to_0.88").isNull()); // {100, inf}
    assertEquals(55, m.get("mllib_mlp l-bfgs").get("samples_per_second").asDouble());
  }

  private static JsonNode run(String contestant, String variant, double samplesPerSecond, Double to088, double accuracy, int cores) {
    return ((ObjectNode) run(contestant, variant, samplesPerSecond, to088, accuracy)).put("cores", cores).put("averaging_frequency", 211);
  }

  @Test
  void targetsAreIssue17sRatiosOfMediansAgainstTheFastestSensibleBaseline() {
    Map<String, ObjectNode> m = AlternativesSummary.medians(List.of(
        run("sitter", "K=auto", 16000, 10.0, 0.89, 2),
        run("single_jvm", "threads=1", 9000, 22.0, 0.89, 1),
        run("single_jvm", "threads=1,memoryCheck=off", 10000, 20.0, 0.89, 1),
        run("single_jvm", "threads=1,memoryCheck=off,concurrent=2", 8000, 25.0, 0.89, 1),
        run("pytorch", "threads=1", 40000, 5.0, 0.89, 1),
        run("dl4j_patm", "K=211", 12000, 30.0, 0.88, 2),
        run("dl4j_patm", "K=211,saveUpdater", 10000, 28.0, 0.888, 2)));
    ArrayNode t = AlternativesSummary.targets(m);
    assertEquals(4, t.size());
    // Time to 0.88 against the faster single-JVM setting (memory check off: 20 s < 22 s): 10 / 20.
    assertEquals(0.5, t.get(0).get("ratio").asDouble(), 1e-12);
    assertTrue(t.get(0).get("pass").asBoolean());
    // Two concurrent 1-thread fits: 2 x 8000 samples/s together; 16000 / 16000.
    assertEquals(1.0, t.get(1).get("ratio").asDouble(), 1e-12);
    assertTrue(t.get(1).get("pass").asBoolean());
    // Per core: 16000 / 2 cores over PyTorch's 40000 on one thread.
    assertEquals(0.2, t.get(2).get("ratio").asDouble(), 1e-12);
    assertFalse(t.get(2).get("pass").asBoolean());
    // PATM with saveUpdater at sitter's own K (211): 16000 / 10000, accuracy 0.89 >= 0.888 - 0.005.
    assertEquals(1.6, t.get(3).get("ratio").asDouble(), 1e-12);
    assertTrue(t.get(3).get("pass").asBoolean());
  }

  @Test
  void headlineFlopsAreSamplesTimesTheDenseLayersWorkOverThePeakOfTheCoresUsed() {
    Map<String, ObjectNode> m = AlternativesSummary.medians(List.of(run("sitter", "K=auto", 16000, 10.0, 0.89, 2)));
    ObjectNode h = AlternativesSummary.headline(m, 2000);
    // 3 x 2 x (784*256 + 256*256 + 256*10) = 1,612,800 FLOPs per example.
    assertEquals(1_612_800, h.get("flops_per_sample").asDouble());
    JsonNode s = h.get("contestants").get("sitter K=auto");
    assertEquals(16000.0 * 1_612_800 / 1e9, s.get("gflops").asDouble(), 1e-9);
    // 2 cores x 32 FLOPs/cycle x 2.0 GHz = 128 GFLOP/s.
    assertEquals(16000.0 * 1_612_800 / 1e9 / 128, s.get("share_of_peak").asDouble(), 1e-12);
    assertEquals(8000, s.get("samples_per_second_per_core").asDouble());
  }
}
