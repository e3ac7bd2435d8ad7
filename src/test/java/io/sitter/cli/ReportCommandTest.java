package io.sitter.cli;

import io.sitter.TestFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.config.BadInputException;
import io.sitter.config.TrainingAbortedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return SitterMain.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void writesTheReportAndPrintsItsPath() throws Exception {
    Files.writeString(dir.resolve("metrics.jsonl"),
        "{\"round\":1,\"epoch\":1,\"iteration\":10,\"examples_seen\":1280,\"train_loss\":2.3,\"train_accuracy\":0.1,\"layers\":[]}\n");
    assertEquals(0, run("report", dir.toString()), err.toString());
    Path report = dir.resolve("report.html");
    assertTrue(Files.size(report) > 100_000, "the page carries its chart library");
    assertEquals(report.toString(), out.toString().trim());
  }

  @Test
  void aDirectoryWithoutMetricsOrChecksIsExitTwoNamingIt() {
    assertEquals(2, run("report", dir.toString()));
    assertTrue(err.toString().startsWith("sitter report: "), err.toString());
    assertTrue(err.toString().contains(dir.toString()), err.toString());
    assertFalse(Files.exists(dir.resolve("report.html")));
  }

  @Test
  void aMissingDirectoryOrArgumentIsExitTwo() {
    assertEquals(2, run("report", dir.resolve("missing").toString()));
    assertTrue(err.toString().contains("missing"), err.toString());
    assertEquals(2, run("report"));
  }

  private void writeOneRound() {
    try {
      Files.writeString(dir.resolve("metrics.jsonl"),
          "{\"round\":1,\"epoch\":1,\"iteration\":10,\"examples_seen\":1280,\"train_loss\":\"NaN\",\"layers\":[]}\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aJobIsFollowedByItsReport() throws Exception {
    PrintWriter w = new PrintWriter(out, true);
    String result = ReportCommand.thenReport(TestFiles.runDir(dir), w, () -> {
      writeOneRound();
      return "done";
    });
    assertEquals("done", result);
    assertTrue(Files.exists(dir.resolve("report.html")));
    assertTrue(out.toString().contains("report: " + dir.resolve("report.html").toAbsolutePath()), out.toString());
  }

  @Test
  void anAbortStillGetsItsReportAndStaysTheFailure() throws Exception {
    TrainingAbortedException abort = new TrainingAbortedException("loss is NaN in round 1");
    TrainingAbortedException thrown = assertThrows(TrainingAbortedException.class, () -> ReportCommand.thenReport(TestFiles.runDir(dir), new PrintWriter(out, true), () -> {
      writeOneRound();
      throw abort;
    }));
    assertSame(abort, thrown);
    assertTrue(Files.readString(dir.resolve("report.html")).contains("train_loss first NaN at round 1"));
  }

  @Test
  void anAbortWhoseReportFailsKeepsTheAbortAndCarriesTheReportFailure() {
    TrainingAbortedException thrown = assertThrows(TrainingAbortedException.class,
        () -> ReportCommand.thenReport(TestFiles.runDir(dir), new PrintWriter(out, true), () -> {
          throw new TrainingAbortedException("aborted before round 1");
        }));
    assertEquals(1, thrown.getSuppressed().length, "nothing to report in an empty directory: attached, not thrown");
    assertTrue(thrown.getSuppressed()[0] instanceof BadInputException);
    assertFalse(Files.exists(dir.resolve("report.html")));
  }

  @Test
  void otherFailuresLeaveTheDirectoryAlone() {
    assertThrows(BadInputException.class, () -> ReportCommand.thenReport(TestFiles.runDir(dir), new PrintWriter(out, true), () -> {
      writeOneRound();
      throw new BadInputException("row 3: label 7, expected 0..2");
    }));
    assertFalse(Files.exists(dir.resolve("report.html")));
  }
}
