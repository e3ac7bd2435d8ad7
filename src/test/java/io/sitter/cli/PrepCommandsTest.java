package io.sitter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sitter.TestFiles;
import io.sitter.TestSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code sitter prep} and {@code sitter stats} through {@link SitterMain#execute}: exit codes, messages, files. */
class PrepCommandsTest {
  @TempDir Path dir;

  @BeforeAll
  static void session() {
    // The commands' getOrCreate then finds the shared test session (Kryo registration required).
    TestSpark.session();
  }

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SitterMain.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  private static final List<String> GOOD = List.of("1,2,0", "2,3,1", "3,4,0", "4,5,1", "5,6,0", "6,7,1", "7,8,0", "8,9,1", "9,1,0", "1,3,1");

  static Stream<Arguments> badCsv() {
    return Stream.of(
        Arguments.of("non-numeric", withLine(3, "1,abc,0"), "line 3: non-numeric value 'abc' in column 2"),
        Arguments.of("ragged", withLine(4, "1,2"), "line 4: ragged row: 2 columns, expected 3"),
        Arguments.of("nan", withLine(2, "NaN,2,0"), "line 2: NaN in column 1"),
        Arguments.of("inf", withLine(5, "1,Infinity,1"), "line 5: infinite"),
        Arguments.of("huge", withLine(5, "1,1e39,1"), "line 5: value '1e39' in column 2 is out of float32 range"),
        Arguments.of("negative-label", withLine(6, "1,2,-1"), "line 6: label '-1' is out of range"),
        Arguments.of("fractional-label", withLine(7, "1,2,0.5"), "line 7: label '0.5' is not an integer"),
        Arguments.of("empty", List.of(), "empty input"));
  }

  private static List<String> withLine(int line, String text) {
    List<String> lines = new ArrayList<>(GOOD);
    lines.set(line - 1, text);
    return lines;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badCsv")
  void badCsvIsExit2NamingFileAndRowAndLeavesNothing(String name, List<String> lines, String expected) throws Exception {
    Path input = TestFiles.write(dir.resolve("in/" + name + ".csv"), lines);
    Path out = dir.resolve("out");
    Run r = run("prep", "--input", input.toString(), "--out", out.toString(), "--split", "0.5,0.25,0.25");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains(name + ".csv: " + expected) || (name.equals("empty") && r.err().contains(name + ".csv") && r.err().contains(expected)), r.err());
    assertNothingWritten(out);
    Run stats = run("stats", "--input", input.toString(), "--out", dir.resolve("s.json").toString());
    assertEquals(2, stats.code(), stats.err());
    assertFalse(Files.exists(dir.resolve("s.json")));
  }

  private void assertNothingWritten(Path out) throws Exception {
    assertFalse(Files.exists(out), "no output directory");
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".")).toList(), "no temporary siblings");
    }
  }

  @Test
  void badIdxMagicNumberMissingInputAndEmptySplitAreExit2() throws Exception {
    Path images = TestFiles.idx(dir.resolve("idx/train-images-idx3-ubyte"), new int[] {2, 2, 2}, new byte[8], false);
    Path labels = TestFiles.idx(dir.resolve("idx/wrong-labels"), new int[] {2, 2, 2}, new byte[8], false);
    Files.write(dir.resolve("idx/train-labels-idx1-ubyte"), new byte[] {0, 0, 9, 1, 0, 0, 0, 2, 0, 1});
    Path out = dir.resolve("out");
    Run magic = run("prep", "--input", images.toString(), "--out", out.toString());
    assertEquals(2, magic.code(), magic.err());
    assertTrue(magic.err().contains("train-labels-idx1-ubyte: wrong IDX magic number 0x00000901"), magic.err());
    Run shape = run("prep", "--input", images.toString(), "--labels", labels.toString(), "--out", out.toString());
    assertEquals(2, shape.code(), shape.err());
    assertTrue(shape.err().contains("wrong-labels: a labels file must be one-dimensional"), shape.err());

    Run missing = run("stats", "--input", dir.resolve("nope.csv").toString());
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("nope.csv does not exist"), missing.err());

    Path tiny = TestFiles.write(dir.resolve("tiny.csv"), List.of("1,2,0", "2,3,0", "3,4,0"));
    Run empty = run("prep", "--input", tiny.toString(), "--out", out.toString());
    assertEquals(2, empty.code(), empty.err());
    assertTrue(empty.err().contains("tiny.csv: the val split is empty"), empty.err());
    assertNothingWritten(out);

    // Every split non-empty, but the training split is one row of one class: nothing to learn.
    // Stratified at 0.4: class 0 (3 rows) puts round(1.2) = 1 row in train, class 1 (1 row) none.
    Path few = TestFiles.write(dir.resolve("few.csv"), List.of("1,2,0", "2,3,1", "3,4,0", "4,5,0"));
    Run oneClass = run("prep", "--input", few.toString(), "--out", out.toString(), "--split", "0.4,0.6,0");
    assertEquals(2, oneClass.code(), oneClass.err());
    assertTrue(oneClass.err().contains("few.csv: the train split holds 1 rows of 1 class (train 1, val 3, test 0"), oneClass.err());
    assertNothingWritten(out);
  }

  @Test
  void badFlagsAreExit2NamingTheFlag() {
    Path input = TestFiles.write(dir.resolve("g.csv"), GOOD);
    String out = dir.resolve("o").toString();
    Run split = run("prep", "--input", input.toString(), "--out", out, "--split", "0.8,0.3,0.1");
    assertEquals(2, split.code());
    assertTrue(split.err().contains("--split"), split.err());
    Run mode = run("prep", "--input", input.toString(), "--out", out, "--mode", "whiten");
    assertEquals(2, mode.code());
    assertTrue(mode.err().contains("--mode"), mode.err());
    Run scale = run("prep", "--input", input.toString(), "--out", out, "--scale", "0/0");
    assertEquals(2, scale.code());
    assertTrue(scale.err().contains("--scale"), scale.err());
    Run unknown = run("prep", "--input", input.toString(), "--out", out, "--bogus");
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("--bogus"), unknown.err());
    Run label = run("stats", "--input", input.toString(), "--label", "price");
    assertEquals(2, label.code());
    assertTrue(label.err().contains("--label price"), label.err());
    assertFalse(Files.exists(Path.of(out)));
  }

  @Test
  void statsWritesJsonMatchingAnIndependentComputation() throws Exception {
    Path input = TestFiles.write(dir.resolve("g.csv"), GOOD);
    Path json = dir.resolve("stats.json");
    Run r = run("stats", "--input", input.toString(), "--out", json.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode s = new ObjectMapper().readTree(json.toFile());
    assertEquals(10, s.get("count").asLong());
    double[] a = GOOD.stream().mapToDouble(l -> Double.parseDouble(l.split(",")[0])).toArray();
    double mean = java.util.Arrays.stream(a).average().orElseThrow();
    double var = java.util.Arrays.stream(a).map(x -> (x - mean) * (x - mean)).sum() / a.length;
    assertEquals(mean, s.get("mean").get(0).asDouble(), 1e-12);
    assertEquals(Math.sqrt(var), s.get("std").get(0).asDouble(), 1e-12);
    assertEquals(1.0, s.get("min").get(0).asDouble(), 0.0);
    assertEquals(9.0, s.get("max").get(0).asDouble(), 0.0);
    assertEquals(5, s.get("labelCounts").get(0).asLong());
    assertEquals(5, s.get("labelCounts").get(1).asLong());
    Run again = run("stats", "--input", input.toString(), "--out", json.toString());
    assertEquals(2, again.code(), "an existing --out needs --overwrite");
  }

  @Test
  void prepWritesTheDirectoryAndPrintsOneSummaryLine() throws Exception {
    Path input = TestFiles.write(dir.resolve("g.csv"), GOOD);
    Path out = dir.resolve("prep");
    Run r = run("prep", "--input", input.toString(), "--out", out.toString(), "--split", "0.6,0.2,0.2", "--mode", "pixel-mean", "--scale", "1/10");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("train 6, val 2, test 2 rows"), r.out());
    JsonNode p = new ObjectMapper().readTree(out.resolve("preprocessing.json").toFile());
    assertEquals("pixel-mean", p.get("mode").asText());
    assertEquals(0.1, p.get("scale").asDouble(), 1e-15);
    assertTrue(Files.isDirectory(out.resolve("train")) && Files.isDirectory(out.resolve("val")) && Files.isDirectory(out.resolve("test")));
    Run refused = run("prep", "--input", input.toString(), "--out", out.toString());
    assertEquals(2, refused.code());
    assertTrue(refused.err().contains("already exists; use --overwrite"), refused.err());
  }

  /** A local --out given as a plain path or as a file:// URI writes the same prep output. */
  @Test
  void aFileUriOutIsThePlainPath() throws Exception {
    Path input = TestFiles.write(dir.resolve("g.csv"), GOOD);
    Path plain = dir.resolve("plain");
    Path uri = dir.resolve("uri");
    Run first = run("prep", "--input", input.toString(), "--out", plain.toString(), "--split", "0.6,0.2,0.2");
    assertEquals(0, first.code(), first.err());
    Run r = run("prep", "--input", input.toString(), "--out", uri.toUri().toString(), "--split", "0.6,0.2,0.2");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("wrote " + uri + ":"), "a local path is shown as users type it: " + r.out());
    ObjectMapper json = new ObjectMapper();
    assertEquals(json.readTree(plain.resolve("preprocessing.json").toFile()), json.readTree(uri.resolve("preprocessing.json").toFile()));
    for (String split : List.of("train", "val", "test")) {
      assertEquals(TestSpark.session().read().parquet(plain.resolve(split).toString()).sort("index").collectAsList(),
          TestSpark.session().read().parquet(uri.resolve(split).toString()).sort("index").collectAsList(), split);
    }
    try (Stream<Path> names = Files.list(dir)) {
      assertEquals(List.of("g.csv", "plain", "uri"), names.map(p -> p.getFileName().toString()).sorted().toList(),
          "no staging directory is left beside the outputs");
    }
  }

  @Test
  void anOutWithAnUnknownSchemeIsExit2NamingFlagAndScheme() {
    Path input = TestFiles.write(dir.resolve("g.csv"), GOOD);
    Run r = run("prep", "--input", input.toString(), "--out", "nosuchfs://host/prep");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--out") && r.err().contains("'nosuchfs'"), r.err());
  }
}
