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

  @Test
  void targetsAreRatiosOfMediansWithAccuracyTolerance() {
    Map<String, ObjectNode> m = AlternativesSummary.medians(List.of(
        run("sitter", "K=auto", 13000, 40.0, 0.885),
        run("single_jvm", "threads=2", 10000, 50.0, 0.889),
        run("sitter", "K=5", 12000, null, 0.86),
        run("dl4j_patm", "K=5", 10000, null, 0.85),
        run("dl4j_patm", "K=5,saveUpdater", 8000, null, 0.875),
        run("mllib_mlp", "l-bfgs,chunk=20", 900, 70.0, 0.881)));
    ArrayNode t = AlternativesSummary.targets(m);
    assertEquals(4, t.size());
    JsonNode single = t.get(0);
    assertEquals(1.3, single.get("ratio").asDouble(), 1e-12);
    assertTrue(single.get("pass").asBoolean()); // 0.885 is within 0.005 of 0.889
    JsonNode patm = t.get(1);
    assertEquals(1.2, patm.get("ratio").asDouble(), 1e-12);
    assertFalse(patm.get("pass").asBoolean()); // below 1.3x
    JsonNode patmSave = t.get(2);
    assertEquals(1.5, patmSave.get("ratio").asDouble(), 1e-12);
    assertFalse(patmSave.get("accuracy_equal_or_better").asBoolean()); // 0.86 < 0.875 - 0.005
    JsonNode mllib = t.get(3);
    assertEquals(1.75, mllib.get("ratio").asDouble(), 1e-12);
    assertFalse(mllib.get("pass").asBoolean()); // needs more than 2x
  }
}
