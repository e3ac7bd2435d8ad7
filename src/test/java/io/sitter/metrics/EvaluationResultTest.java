package io.sitter.metrics;

import io.sitter.TestFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationResultTest {
  /**
   * Five examples, three classes, worked by hand:
   * (label 0, p=[.7,.2,.1]) -> 0; (0, [.2,.5,.3]) -> 1; (1, [.1,.8,.1]) -> 1;
   * (2, [.3,.3,.4]) -> 2; (2, [.6,.3,.1]) -> 0.
   */
  private static EvaluationAccumulator handWorked() {
    EvaluationAccumulator a = new EvaluationAccumulator(3);
    a.add(0, new float[] {.7f, .2f, .1f}, 0);
    a.add(0, new float[] {9f, .2f, .5f, .3f}, 1); // offset skips a leading value
    a.add(1, new float[] {.1f, .8f, .1f}, 0);
    a.add(2, new float[] {.3f, .3f, .4f}, 0);
    a.add(2, new float[] {.6f, .3f, .1f}, 0);
    return a;
  }

  @Test
  void metricsMatchHandComputedValues() {
    EvaluationResult r = EvaluationResult.of(handWorked(), List.of("a", "b", "c"));
    assertEquals(5, r.count());
    assertEquals(3.0 / 5, r.accuracy(), 1e-15);
    double loss = -(Math.log(.7f) + Math.log(.2f) + Math.log(.8f) + Math.log(.4f) + Math.log(.1f)) / 5;
    assertEquals(loss, r.loss(), 1e-12);
    // class a: predicted twice (rows 1, 5), right once; support 2, found once
    assertEquals(0.5, r.perClass().get(0).precision(), 1e-15);
    assertEquals(0.5, r.perClass().get(0).recall(), 1e-15);
    // class b: predicted twice (rows 2, 3), right once; support 1
    assertEquals(0.5, r.perClass().get(1).precision(), 1e-15);
    assertEquals(1.0, r.perClass().get(1).recall(), 1e-15);
    assertEquals(2 * 0.5 * 1.0 / 1.5, r.perClass().get(1).f1(), 1e-15);
    // class c: predicted once, right; support 2
    assertEquals(1.0, r.perClass().get(2).precision(), 1e-15);
    assertEquals(0.5, r.perClass().get(2).recall(), 1e-15);
    assertEquals(2, r.perClass().get(2).support());
    assertEquals(1, r.confusion(0, 1));
    assertEquals(1, r.confusion(2, 0));
    assertEquals(0, r.confusion(1, 0));
  }

  @Test
  void mergeOfPartsEqualsTheWholeInEitherOrder() {
    float[][] p = {{.7f, .2f, .1f}, {.2f, .5f, .3f}, {.1f, .8f, .1f}, {.3f, .3f, .4f}, {.6f, .3f, .1f}};
    int[] labels = {0, 0, 1, 2, 2};
    EvaluationAccumulator left = new EvaluationAccumulator(3);
    EvaluationAccumulator right = new EvaluationAccumulator(3);
    for (int i = 0; i < 5; i++) {
      (i < 2 ? left : right).add(labels[i], p[i], 0);
    }
    EvaluationAccumulator whole = handWorked();
    for (EvaluationAccumulator merged : List.of(copy(left).merge(right), copy(right).merge(left))) {
      assertEquals(whole.count(), merged.count());
      assertEquals(whole.lossSum(), merged.lossSum(), 1e-12);
      for (int a = 0; a < 3; a++) {
        for (int q = 0; q < 3; q++) {
          assertEquals(whole.confusion()[a][q], merged.confusion()[a][q]);
        }
      }
    }
  }

  @Test
  void zeroProbabilityGivesAFiniteClampedLoss() {
    EvaluationAccumulator a = new EvaluationAccumulator(2).add(1, new float[] {1f, 0f}, 0);
    assertEquals(-Math.log(1e-10), a.lossSum(), 1e-9);
  }

  @Test
  void classNeverPredictedOrAbsentHasZeroScoresAndEmptyDataHasNaN() {
    EvaluationAccumulator a = new EvaluationAccumulator(3).add(0, new float[] {.9f, .1f, 0f}, 0);
    EvaluationResult r = EvaluationResult.of(a, null);
    assertEquals(List.of("0", "1", "2"), r.classes());
    assertEquals(0.0, r.perClass().get(2).precision());
    assertEquals(0.0, r.perClass().get(2).recall());
    assertEquals(0.0, r.perClass().get(2).f1());
    assertTrue(Double.isNaN(EvaluationResult.of(new EvaluationAccumulator(3), null).accuracy()));
  }

  @Test
  void writtenJsonHasTheDocumentedFieldsAndReadsBack(@TempDir Path dir) throws Exception {
    EvaluationResult r = EvaluationResult.of(handWorked(), List.of("a", "b", "c"));
    Path file = dir.resolve("evaluation.json");
    TestFiles.runDir(dir).writeEvaluation(r);
    try (var listing = Files.list(dir)) {
      assertEquals(List.of(file), listing.toList(), "no temporary file is left behind");
    }
    JsonNode json = new ObjectMapper().readTree(file.toFile());
    assertEquals(1, json.get("schemaVersion").asInt());
    assertEquals(5, json.get("count").asLong());
    assertEquals(0.6, json.get("accuracy").asDouble(), 1e-15);
    assertEquals("b", json.get("perClass").get(1).get("class").asText());
    assertEquals(1.0, json.get("perClass").get(1).get("recall").asDouble(), 1e-15);
    assertEquals(1, json.get("confusion").get(2).get(0).asLong());
    EvaluationResult back = TestFiles.evaluation(file);
    assertEquals(r.toJson(), back.toJson());

    EvaluationResult empty = EvaluationResult.of(new EvaluationAccumulator(2), null);
    assertEquals("NaN", new ObjectMapper().readTree(empty.toJson()).get("accuracy").asText());
  }

  private static EvaluationAccumulator copy(EvaluationAccumulator a) {
    return new EvaluationAccumulator(a.numClasses()).merge(a);
  }
}
