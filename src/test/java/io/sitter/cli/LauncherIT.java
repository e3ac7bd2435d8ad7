package io.sitter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sitter.TestFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/sitter} end to end: the packaged jar through Spark's SparkSubmit in local mode,
 * as a user runs it. Failsafe gives the project directory as {@code sitter.basedir}.
 */
class LauncherIT {
  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  private Result sitter(String... args) throws IOException, InterruptedException {
    Path base = Path.of(System.getProperty("sitter.basedir", "."));
    // No UI: on a shared machine other drivers hold ports 4040 and up, and Spark's WARN about trying
    // the next port is not the logging this test checks.
    List<String> command = new ArrayList<>(List.of(base.resolve("scripts/sitter").toString(), "--master", "local[2]",
        "--conf", "spark.ui.enabled=false"));
    command.addAll(List.of(args));
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    p.getOutputStream().close();
    // A bound, not a speed target: a hung launcher must not hang the build.
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("scripts/sitter did not finish in 5 minutes");
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void statsRunsThroughSparkSubmitAndMatchesAnIndependentComputation() throws Exception {
    Random r = new Random(9);
    List<String> lines = new ArrayList<>(List.of("small,offset,big,kind"));
    List<double[]> values = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      float a = (float) (1e-3 * r.nextGaussian());
      float b = (float) (1e4 + 1e-2 * r.nextGaussian());
      float c = (float) (1e4 * r.nextGaussian());
      // The statistics are of the values as written: the decimal text, parsed as a double.
      String[] text = {Float.toString(a), Float.toString(b), Float.toString(c)};
      values.add(new double[] {Double.parseDouble(text[0]), Double.parseDouble(text[1]), Double.parseDouble(text[2])});
      lines.add(String.join(",", text) + "," + (i % 3 == 0 ? "cat" : "dog"));
    }
    Path csv = TestFiles.write(dir.resolve("wild.csv"), lines);
    Path json = dir.resolve("stats.json");
    Result res = sitter("stats", "--input", csv.toString(), "--label", "kind", "--out", json.toString());
    assertEquals(0, res.code(), res.err());
    assertTrue(res.out().contains("sitter stats: 500 rows, 3 features, 2 classes"), res.out());
    assertFalse(res.err().contains(" INFO "), "Spark's INFO logging is off by default:\n" + res.err());
    assertFalse(res.err().contains(" WARN "), "quiet means no warnings a user cannot act on:\n" + res.err());
    assertFalse(res.err().contains("\u001b") || res.out().contains("\u001b"), "no escape codes when output is not a terminal");

    JsonNode s = new ObjectMapper().readTree(json.toFile());
    assertEquals(500, s.get("count").asLong());
    assertEquals(List.of("cat", "dog"), List.of(s.get("classes").get(0).asText(), s.get("classes").get(1).asText()));
    assertEquals(167, s.get("labelCounts").get(0).asLong());
    assertEquals(333, s.get("labelCounts").get(1).asLong());
    for (int j = 0; j < 3; j++) {
      int jj = j;
      double mean = values.stream().mapToDouble(v -> v[jj]).sum() / values.size();
      double var = values.stream().mapToDouble(v -> (v[jj] - mean) * (v[jj] - mean)).sum() / values.size();
      assertEquals(0, Math.abs(s.get("mean").get(j).asDouble() - mean) / Math.abs(mean), 1e-9, "mean " + j);
      assertEquals(0, Math.abs(s.get("std").get(j).asDouble() - Math.sqrt(var)) / Math.sqrt(var), 1e-9, "std " + j);
      assertEquals(values.stream().mapToDouble(v -> v[jj]).min().orElseThrow(), s.get("min").get(j).asDouble(), 0.0);
      assertEquals(values.stream().mapToDouble(v -> v[jj]).max().orElseThrow(), s.get("max").get(j).asDouble(), 0.0);
    }
  }

  /** Debian's Maven writes colour resets even in batch mode; the scripts strip them for logs and pipes. */
  @Test
  void mavenRunByTheScriptsWritesNoEscapeCodesToAFile() throws Exception {
    Path base = Path.of(System.getProperty("sitter.basedir", "."));
    Path err = dir.resolve("maven.txt");
    Process p = new ProcessBuilder("bash", "-c", "source scripts/lib/maven.sh && maven_to_stderr -q validate && maven_to_stderr -q no-such-phase")
        .directory(base.toFile())
        .redirectOutput(dir.resolve("out.txt").toFile())
        .redirectError(err.toFile())
        .start();
    assertTrue(p.waitFor(2, TimeUnit.MINUTES), "mvn validate did not finish");
    String text = Files.readString(err, StandardCharsets.UTF_8);
    assertEquals(1, p.exitValue(), "Maven's own exit code comes through the filter:\n" + text);
    assertTrue(text.contains("no-such-phase"), text);
    assertFalse(text.contains("\u001b"), "escape codes in:\n" + text);
  }

  @Test
  void badInputThroughTheLauncherIsExit2WithOneLine() throws Exception {
    Path csv = TestFiles.write(dir.resolve("bad.csv"), List.of("1,2,0", "3,oops,1"));
    Result res = sitter("stats", "--input", csv.toString());
    assertEquals(2, res.code(), res.err());
    assertTrue(res.err().contains("sitter stats: " + csv + ": line 2: non-numeric value 'oops' in column 2"), res.err());
    Result usage = sitter("stats");
    assertEquals(2, usage.code());
    assertTrue(usage.err().contains("--input"), usage.err());
  }
}
