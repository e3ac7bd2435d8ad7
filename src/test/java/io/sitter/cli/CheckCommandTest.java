package io.sitter.cli;

import io.sitter.TestFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.TestSpark;
import io.sitter.metrics.CheckResult;
import io.sitter.metrics.ChecksReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sitter check} end to end in the test JVM: exit codes, checks.json, console diagnosis. */
class CheckCommandTest {
  @TempDir static Path dir;
  private static Path prep;
  private static Path input;
  private static final List<String> SMALL = List.of("--set", "model.hiddenLayers=[16, 16]", "--set",
      "train.minibatchSize=32", "--set", "babysit.lrProbeSteps=40", "--set", "babysit.sampleSize=256");

  /** A prep directory made by {@code sitter prep} itself: 3 well-separated classes in 6 CSV columns. */
  @BeforeAll
  static void prepareData() throws Exception {
    TestSpark.session();
    Random r = new Random(3);
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      for (int j = 0; j < 6; j++) {
        csv.append(String.format(java.util.Locale.ROOT, "%.4f,", r.nextGaussian() + (j == i % 3 ? 3 : 0)));
      }
      csv.append(i % 3).append('\n');
    }
    input = dir.resolve("blobs.csv");
    Files.writeString(input, csv);
    prep = dir.resolve("prep");
    StringWriter err = new StringWriter();
    int code = run(new StringWriter(), err, List.of("prep", "--input", input.toString(), "--out", prep.toString()));
    assertEquals(0, code, err.toString());
  }

  private static int run(StringWriter out, StringWriter err, List<String> args) {
    return SitterMain.execute(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
  }

  private static List<String> args(Path run, String... more) {
    List<String> a = new ArrayList<>(List.of("check", "--data", prep.toString(), "--out", run.toString()));
    a.addAll(SMALL);
    a.addAll(List.of(more));
    return a;
  }

  @Test
  void healthyDataPassesWritesChecksJsonAndSaysSo() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Path run = dir.resolve("run-ok");
    int code = run(out, err, args(run, "--set", "train.learningRate=0.01"));
    assertEquals(0, code, out + "\n" + err);
    ChecksReport report = TestFiles.checks(run.resolve("checks.json"));
    assertEquals(List.of("initial_loss", "regularization", "input_scale", "class_balance", "overfit_subset",
        "learning_rate"), report.checks().stream().map(CheckResult::check).toList());
    assertFalse(report.anyFailed());
    assertEquals(List.of(), report.diagnosis(), "healthy: nothing diagnosed");
    assertTrue(out.toString().contains("Diagnosis: nothing wrong found."), out.toString());
    assertTrue(report.lrProbe() != null && report.lrProbe().rates().size() >= 3);
    assertTrue(out.toString().contains("checks") && out.toString().contains(run.resolve("checks.json").toString()),
        out.toString());
  }

  @Test
  void aFailedCheckExitsOneAndIsNamedOnTheConsole() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Path run = dir.resolve("run-slow");
    int code = run(out, err, args(run, "--set", "train.learningRate=1e-7", "--set", "babysit.overfitMaxIterations=30"));
    assertEquals(1, code, out + "\n" + err);
    assertTrue(out.toString().contains("FAIL overfit_subset"), out.toString());
    ChecksReport report = TestFiles.checks(run.resolve("checks.json"));
    assertTrue(report.anyFailed());
    // a rate of 1e-7 barely moves the loss: one cause, printed first
    assertEquals("lr_too_low", report.diagnosis().get(0).cause(), out.toString());
    assertTrue(out.toString().contains("Diagnosis: lr_too_low."), out.toString());
  }

  @Test
  void badInputExitsTwoNamingTheProblem() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> missing = new ArrayList<>(List.of("check", "--data", dir.resolve("nowhere").toString(), "--out",
        dir.resolve("run-bad").toString()));
    assertEquals(2, run(out, err, missing));
    assertTrue(err.toString().contains("preprocessing.json not found"), err.toString());

    StringWriter err2 = new StringWriter();
    assertEquals(2, run(new StringWriter(), err2, args(dir.resolve("run-bad2"), "--set", "babysit.noSuchKey=1")));
    assertTrue(err2.toString().contains("babysit.noSuchKey"), err2.toString());
    assertFalse(Files.exists(dir.resolve("run-bad2")), "nothing written on bad input");
  }

  /** {@code --input} with the prep flags, as {@code train} takes them: the same verdicts as on the prepared directory. */
  @Test
  void rawInputIsPreparedIntoTheRunAndGivesTheSameVerdicts() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Path fromData = dir.resolve("run-data");
    assertEquals(0, run(new StringWriter(), err, args(fromData, "--set", "train.learningRate=0.01")), err.toString());
    Path fromInput = dir.resolve("run-input");
    List<String> a = new ArrayList<>(List.of("check", "--input", input.toString(), "--seed", "42", "--out", fromInput.toString()));
    a.addAll(SMALL);
    a.addAll(List.of("--set", "train.learningRate=0.01"));
    assertEquals(0, run(out, err, a), out + "\n" + err);
    assertTrue(Files.isRegularFile(fromInput.resolve("prep").resolve("preprocessing.json")), "prep output in RUN/prep");
    assertTrue(out.toString().contains("prepared "), out.toString());
    List<CheckResult> expected = TestFiles.checks(fromData.resolve("checks.json")).checks();
    List<CheckResult> actual = TestFiles.checks(fromInput.resolve("checks.json")).checks();
    assertEquals(expected.stream().map(CheckResult::check).toList(), actual.stream().map(CheckResult::check).toList());
    assertEquals(expected.get(0).observed(), actual.get(0).observed(), "initial loss on the same prepared rows");

    StringWriter both = new StringWriter();
    List<String> twice = new ArrayList<>(a);
    twice.set(6, dir.resolve("run-both").toString());
    twice.addAll(List.of("--data", prep.toString()));
    assertEquals(2, run(new StringWriter(), both, twice));
    assertTrue(both.toString().contains("exactly one of --data DIR and --input PATH"), both.toString());
  }
}
