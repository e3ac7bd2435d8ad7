package io.sitter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
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
}
