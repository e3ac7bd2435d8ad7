package io.sitter.report;

import io.sitter.metrics.TrialRecord;
import io.sitter.metrics.RoundMetrics;
import io.sitter.TestFiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.config.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReaderTest {
  @TempDir Path dir;

  @Test
  void readsEveryRoundAsWrittenIncludingNonFiniteStringsAndNulls() {
    RunFixture fixture = new RunFixture();
    fixture.rounds = 25;
    fixture.nanFromRound = 20;
    fixture.write(dir);
    Run run = RunReader.read(TestFiles.runDir(dir));
    assertEquals(25, run.rounds().size());
    for (int i = 0; i < 25; i++) {
      Map<String, Object> written = fixture.writtenRounds.get(i);
      RoundMetrics read = run.rounds().get(i);
      assertEquals(written.get("round"), read.round());
      assertEquals(((Number) written.get("examples_seen")).longValue(), read.examplesSeen());
      Object loss = written.get("train_loss");
      if (loss instanceof String s) {
        assertEquals("NaN", s);
        assertTrue(read.trainLoss().isNaN(), "\"NaN\" reads as NaN in round " + read.round());
      } else {
        assertEquals((Double) loss, read.trainLoss());
      }
      Object val = written.get("val_loss");
      if (val == null) {
        assertNull(read.valLoss(), "null stays null (not 0) in round " + read.round());
      } else if ("Infinity".equals(val)) {
        assertEquals(Double.POSITIVE_INFINITY, read.valLoss());
      } else {
        assertEquals((Double) val, read.valLoss());
      }
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> layers = (List<Map<String, Object>>) written.get("layers");
      assertEquals(layers.size(), read.layers().size());
      assertEquals(layers.get(0).get("layer"), read.layers().get(0).layer());
      @SuppressWarnings("unchecked")
      Map<String, Object> hist = (Map<String, Object>) layers.get(1).get("histogram");
      assertEquals(((List<?>) hist.get("counts")).size(), read.layers().get(1).histogram().counts().size());
      if ("-Infinity".equals(layers.get(0).get("act_std"))) {
        assertEquals(Double.NEGATIVE_INFINITY, read.layers().get(0).actStd());
      }
    }
    assertEquals(fixture.writtenChecks.size(), run.checks().orElseThrow().checks().size());
    assertEquals(1e-3, run.checks().orElseThrow().lrProbe().suggested());
    assertTrue(run.checks().orElseThrow().lrProbe().losses().stream().anyMatch(v -> v.isInfinite()));
    assertEquals(10, run.evaluation().orElseThrow().classes().size());
    assertEquals("class 3", run.evaluation().orElseThrow().perClass().get(3).name());
  }

  @Test
  void toleratesFieldsANewerTrainerAddsAndBareNaNTokens() throws Exception {
    Files.writeString(dir.resolve("metrics.jsonl"),
        "{\"round\":1,\"epoch\":1,\"iteration\":5,\"examples_seen\":640,\"train_loss\":NaN,\"gpu_seconds\":3,\"layers\":[]}\n\n");
    Run run = RunReader.read(TestFiles.runDir(dir));
    assertEquals(1, run.rounds().size(), "the blank line is skipped");
    assertTrue(run.rounds().get(0).trainLoss().isNaN());
    assertTrue(run.checks().isEmpty());
  }

  @Test
  void trialsSplitFixedColumnsFromSampledKeys() throws Exception {
    List<Map<String, Object>> written = RunFixture.writeTrials(dir, 12, 3);
    Run run = RunReader.read(TestFiles.runDir(dir));
    assertEquals(12, run.trials().size());
    for (int i = 0; i < 12; i++) {
      TrialRecord t = run.trials().get(i);
      assertEquals(written.get(i).get("trial"), t.trial());
      @SuppressWarnings("unchecked")
      Map<String, Object> values = (Map<String, Object>) written.get(i).get("values");
      assertEquals(Map.of("train.learningRate", values.get("train.learningRate"), "model.l2", values.get("model.l2")), t.sampled(),
          "numbers from 'values' only; epochs, initial_loss and val_loss_epoch1 are results, not sampled");
      assertEquals(Map.of("model.hiddenLayers", RunFixture.JSON.writeValueAsString(values.get("model.hiddenLayers"))), t.choices());
      assertEquals(written.get(i).get("status"), t.status());
      assertEquals("aborted".equals(written.get(i).get("status")), t.aborted());
      if (t.aborted()) {
        assertTrue(Double.isNaN(t.trainLoss()));
        assertTrue(Double.isNaN(t.valAccuracy()), "a result written as null reads as NaN (TrialRecord#fromJson)");
      }
    }
  }

  @Test
  void aDirectoryWithNothingToReportIsBadInputNamingIt() throws Exception {
    Files.writeString(dir.resolve("config.json"), "{}");
    BadInputException e = assertThrows(BadInputException.class, () -> RunReader.read(TestFiles.runDir(dir)));
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("metrics.jsonl"), e.getMessage());
    BadInputException missing = assertThrows(BadInputException.class, () -> RunReader.read(TestFiles.runDir(dir.resolve("nope"))));
    assertTrue(missing.getMessage().contains("nope"), missing.getMessage());
  }

  @Test
  void aMalformedLineIsBadInputNamingFileAndLine() throws Exception {
    new RunFixture().write(dir);
    List<String> lines = Files.readAllLines(dir.resolve("metrics.jsonl"));
    lines.set(2, "{\"round\": 3, \"epoch\": ");
    Files.write(dir.resolve("metrics.jsonl"), lines);
    BadInputException e = assertThrows(BadInputException.class, () -> RunReader.read(TestFiles.runDir(dir)));
    assertTrue(e.getMessage().contains("metrics.jsonl line 3"), e.getMessage());
  }

  @Test
  void aLastLineCutShortByACrashIsLeftOutWithANote() throws Exception {
    RunFixture fixture = new RunFixture();
    fixture.write(dir);
    String whole = Files.readString(dir.resolve("metrics.jsonl"));
    String cut = whole.substring(0, whole.length() - 40); // the last row loses its end, and its newline
    Files.writeString(dir.resolve("metrics.jsonl"), cut);
    Run run = RunReader.read(TestFiles.runDir(dir));
    assertEquals(fixture.rounds - 1, run.rounds().size());
    assertEquals(fixture.rounds - 1, run.rounds().get(run.rounds().size() - 1).round());
    assertEquals(1, run.notes().size());
    assertTrue(run.notes().get(0).contains("metrics.jsonl (line " + fixture.rounds + ") was cut short"), run.notes().get(0));
    assertTrue(Banners.of(run).stream().anyMatch(b -> b.text().equals(run.notes().get(0))), "the note becomes a banner");
  }

  @Test
  void sampledValuesInANestedObjectAreKeyedParentDotChild() throws Exception {
    Files.writeString(dir.resolve("trials.jsonl"),
        "{\"trial\":1,\"stage\":\"coarse\",\"params\":{\"train.learningRate\":0.01,\"model.l2\":\"NaN\"},"
            + "\"val_accuracy\":0.5,\"status\":\"completed\",\"reason\":null,\"seconds\":3}\n");
    TrialRecord t = RunReader.read(TestFiles.runDir(dir)).trials().get(0);
    assertEquals(0.01, t.sampled().get("params.train.learningRate"));
    assertTrue(t.sampled().get("params.model.l2").isNaN());
    assertEquals(2, t.sampled().size(), "fixed columns are not sampled values");
    assertEquals(0.5, t.valAccuracy());
  }

  @Test
  void aWronglyTypedFieldIsBadInputNamingTheFile() throws Exception {
    new RunFixture().write(dir);
    Files.writeString(dir.resolve("checks.json"), "{\"checks\": \"all good\"}");
    BadInputException e = assertThrows(BadInputException.class, () -> RunReader.read(TestFiles.runDir(dir)));
    assertTrue(e.getMessage().contains("checks.json"), e.getMessage());
  }
}
