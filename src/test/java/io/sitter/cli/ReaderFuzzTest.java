package io.sitter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sitter.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs as they arrive from the world, through {@code sitter stats} (the cheapest command that
 * reads every row) and {@code sitter prep}: each is either read correctly, checked against a
 * parse written here independently of sitter's readers, or refused with exit 2 naming the file
 * and the line; never a stack trace.
 */
class ReaderFuzzTest {
  @TempDir Path dir;

  @BeforeAll
  static void session() {
    TestSpark.session();
  }

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  /**
   * The statistics sitter stats writes, of the rows the test itself parsed: the mean summed
   * exactly in BigDecimal (no rounding of its own to share with sitter's Welford update), min and
   * max of the parsed doubles.
   */
  private record Expected(long count, double[] mean, double[] min, double[] max, TreeMap<String, Long> labels) {
    static Expected of(List<double[]> features, List<String> labels) {
      int d = features.get(0).length;
      java.math.BigDecimal[] sum = new java.math.BigDecimal[d];
      Arrays.fill(sum, java.math.BigDecimal.ZERO);
      double[] mean = new double[d];
      double[] min = new double[d];
      double[] max = new double[d];
      Arrays.fill(min, Double.POSITIVE_INFINITY);
      Arrays.fill(max, Double.NEGATIVE_INFINITY);
      for (double[] f : features) {
        for (int j = 0; j < d; j++) {
          sum[j] = sum[j].add(new java.math.BigDecimal(f[j]));
          min[j] = Math.min(min[j], f[j]);
          max[j] = Math.max(max[j], f[j]);
        }
      }
      for (int j = 0; j < d; j++) {
        mean[j] = sum[j].divide(java.math.BigDecimal.valueOf(features.size()), java.math.MathContext.DECIMAL128).doubleValue();
      }
      TreeMap<String, Long> counts = new TreeMap<>();
      labels.forEach(l -> counts.merge(l, 1L, Long::sum));
      return new Expected(features.size(), mean, min, max, counts);
    }
  }

  private CliRun stats(Path input, String... extra) {
    List<String> args = new ArrayList<>(List.of("stats", "--input", input.toString(), "--out", dir.resolve(input.getFileName() + ".json").toString()));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  private void assertReadAs(Path input, Expected e, String... extra) throws IOException {
    CliRun r = stats(input, extra);
    assertEquals(0, r.code(), input.getFileName() + ": " + r.err());
    JsonNode s = new ObjectMapper().readTree(dir.resolve(input.getFileName() + ".json").toFile());
    assertEquals(e.count(), s.get("count").asLong(), input.getFileName().toString());
    // Statistics of the values as written (issue 18): the mean to double rounding of a one-pass
    // update (1e-12 relative; float32 values were off by 2.5e-9), min and max exactly the text's.
    for (int j = 0; j < e.mean().length; j++) {
      assertEquals(e.mean()[j], s.get("mean").get(j).asDouble(), 1e-12 * Math.abs(e.mean()[j]), "mean " + j);
      assertEquals(e.min()[j], s.get("min").get(j).asDouble(), 1e-12 * Math.abs(e.min()[j]), "min " + j);
      assertEquals(e.max()[j], s.get("max").get(j).asDouble(), 1e-12 * Math.abs(e.max()[j]), "max " + j);
    }
    List<Long> counts = new ArrayList<>();
    s.get("labelCounts").forEach(n -> counts.add(n.asLong()));
    assertEquals(List.copyOf(e.labels().values()), counts, input.getFileName() + " label counts");
  }

  private static final Pattern FILE_AND_LINE = Pattern.compile(": line (\\d+)");

  /** Exit 2, the file's name, a line number (returned), no stack trace. */
  private int assertRefusedAtLine(Path input, CliRun r) {
    assertEquals(2, r.code(), input.getFileName() + ": " + r.out() + r.err());
    assertTrue(r.err().contains(input.toString()), "names the file: " + r.err());
    assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace: " + r.err());
    Matcher m = FILE_AND_LINE.matcher(r.err());
    assertTrue(m.find(), "names the line: " + r.err());
    return Integer.parseInt(m.group(1));
  }

  private static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(b);
    }
    return bytes.toByteArray();
  }

  private static List<String> rows(int n, long seed) {
    Random r = new Random(seed);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      lines.add(String.format(java.util.Locale.ROOT, "%.3f,%.3f,%d", r.nextGaussian() * 3 + 7, r.nextDouble() * 100, i % 3));
    }
    return lines;
  }

  /** The independent parse: numeric comma-separated fields, label last. */
  private static Expected parse(List<String> lines) {
    List<double[]> f = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (String l : lines) {
      String[] p = l.split(",");
      f.add(new double[] {Double.parseDouble(p[0]), Double.parseDouble(p[1])});
      labels.add(p[2]);
    }
    return Expected.of(f, labels);
  }

  @Test
  void mixedLineEndingsBomAndBlankLinesAreReadAsTheRowsTheyHold() throws Exception {
    List<String> lines = rows(30, 1);
    Random r = new Random(2);
    StringBuilder text = new StringBuilder("\uFEFFx,y,label\r\n");
    String[] endings = {"\n", "\r\n", "\r"};
    for (int i = 0; i < lines.size(); i++) {
      text.append(lines.get(i)).append(endings[r.nextInt(3)]);
      if (i % 7 == 3) {
        text.append(i % 2 == 0 ? "\n" : "   \r\n"); // blank lines, one of spaces
      }
    }
    Path input = Files.writeString(dir.resolve("mixed.csv"), text.toString().stripTrailing());
    assertReadAs(input, parse(lines));
    // Without a header, the BOM must not turn the first data row into one.
    Path noHeader = Files.writeString(dir.resolve("bom.csv"), "\uFEFF" + String.join("\n", lines) + "\n");
    assertReadAs(noHeader, parse(lines));
  }

  @Test
  void quotedFieldsWithCommasAreOneField() throws Exception {
    List<String> lines = List.of("x,y,label", "1.5,2,\"cat, black\"", "\"2.5\",3,\"dog, \"\"big\"\"\"", "3.5,4,\"cat, black\"");
    Path input = Files.writeString(dir.resolve("quoted.csv"), String.join("\n", lines) + "\n");
    TreeMap<String, Long> labels = new TreeMap<>();
    Expected e = Expected.of(List.of(new double[] {1.5, 2}, new double[] {2.5, 3}, new double[] {3.5, 4}),
        List.of("cat, black", "dog, \"big\"", "cat, black"));
    labels.putAll(e.labels());
    assertReadAs(input, e);
    // A quoted number with a decimal comma is one non-numeric field: refused at its line.
    Path comma = Files.writeString(dir.resolve("comma.csv"), "1.5,2,0\n\"2,5\",3,1\n3.5,4,0\n");
    assertEquals(2, assertRefusedAtLine(comma, stats(comma)));
  }

  @Test
  void aTruncatedGzipIsRefusedNamingTheFile() throws Exception {
    List<String> lines = rows(2000, 3);
    byte[] gz = gzip((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    Path whole = Files.write(dir.resolve("whole.csv.gz"), gz);
    assertReadAs(whole, parse(lines));
    Path cut = Files.write(dir.resolve("cut.csv.gz"), Arrays.copyOf(gz, gz.length * 2 / 3));
    CliRun r = stats(cut);
    int line = assertRefusedAtLine(cut, r);
    assertTrue(r.err().contains("truncated") || r.err().contains("corrupt"), r.err());
    assertTrue(line > 1 && line <= lines.size(), "the line where the data ends: " + r.err());
    Path prepOut = dir.resolve("prep");
    CliRun p = run("prep", "--input", cut.toString(), "--out", prepOut.toString());
    assertRefusedAtLine(cut, p);
    assertFalse(Files.exists(prepOut));
  }

  @Test
  void randomBytesAreRefusedAtALine() throws Exception {
    for (long seed = 1; seed <= 8; seed++) {
      Random r = new Random(seed);
      byte[] junk = new byte[200 + r.nextInt(4000)];
      r.nextBytes(junk);
      for (String ext : List.of(".csv", ".libsvm", ".csv.gz")) {
        Path input = Files.write(dir.resolve("junk" + seed + ext), junk);
        assertRefusedAtLine(input, stats(input));
      }
    }
    // Valid rows, then garbage: refused at the first bad line, counted past blank lines.
    List<String> lines = new ArrayList<>(rows(10, 4));
    lines.add("");
    lines.add("\u0000\u0001\u00ff\u00fe");
    Path tail = Files.writeString(dir.resolve("tail.csv"), String.join("\n", lines) + "\n");
    assertEquals(12, assertRefusedAtLine(tail, stats(tail)));
  }

  @Test
  void aHeaderOnlyOrEmptyFileIsRefused() throws Exception {
    Path header = Files.writeString(dir.resolve("header.csv"), "x,y,label\n");
    CliRun r = stats(header);
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains(header.toString()) && r.err().contains("no data rows"), r.err());
    Path blank = Files.writeString(dir.resolve("blank.csv"), "\n\n  \n");
    CliRun b = stats(blank);
    assertEquals(2, b.code(), b.err());
    assertTrue(b.err().contains(blank.toString()), b.err());
    assertFalse(b.err().contains("\tat "), b.err());
  }

  @Test
  void veryLongLinesAreReadOrRefusedAtTheirLine() throws Exception {
    // 3000 features on a line of about 30 kB: read in full.
    Random r = new Random(5);
    int d = 3000;
    List<double[]> f = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      double[] row = new double[d];
      StringBuilder s = new StringBuilder();
      for (int j = 0; j < d; j++) {
        row[j] = Math.round(r.nextDouble() * 1e6) / 1e3;
        s.append(row[j]).append(',');
      }
      f.add(row);
      labels.add(Integer.toString(i % 2));
      lines.add(s.append(i % 2).toString());
    }
    Path wide = Files.writeString(dir.resolve("wide.csv"), String.join("\n", lines) + "\n");
    assertReadAs(wide, Expected.of(f, labels));
    // A 2 MB line in a file of 3 columns: ragged, refused at its line.
    List<String> rows = new ArrayList<>(rows(5, 6));
    rows.add(3, "1,".repeat(1_000_000) + "0");
    Path longLine = Files.writeString(dir.resolve("long.csv"), String.join("\n", rows) + "\n");
    CliRun lr = stats(longLine);
    assertEquals(4, assertRefusedAtLine(longLine, lr));
    assertTrue(lr.err().length() < 2000, "the message does not repeat the line: " + lr.err().length() + " chars");
  }

  @Test
  void statisticsAreOfTheValuesAsWrittenNotTheirFloat32Rounding() throws Exception {
    // 6.981 as float32 is 6.980999946594238: the value sitter stats reported before.
    List<String> lines = new ArrayList<>(List.of("x,y,label", "6.981,0.1,0", "7.25,0.2,1", "8.5,0.3,2"));
    lines.addAll(rows(200, 7).stream().filter(l -> !l.startsWith("6.98") && !l.startsWith("6.97") && Double.parseDouble(l.split(",")[0]) > 6.981).toList());
    Path input = Files.writeString(dir.resolve("exact.csv"), String.join("\n", lines) + "\n");
    CliRun printed = run("stats", "--input", input.toString());
    assertEquals(0, printed.code(), printed.err());
    JsonNode s = new ObjectMapper().readTree(printed.out().substring(printed.out().indexOf('{')));
    assertEquals("6.981", s.get("min").get(0).toString(), "min as printed: " + s.get("min"));
    assertFalse(printed.out().contains("6.980999"), printed.out());
    List<double[]> f = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (String l : lines.subList(1, lines.size())) {
      String[] p = l.split(",");
      f.add(new double[] {Double.parseDouble(p[0]), Double.parseDouble(p[1])});
      labels.add(p[2]);
    }
    assertReadAs(input, Expected.of(f, labels));
  }

  @Test
  void aValueBeyondFloat32IsRefusedAtItsLine() throws Exception {
    // Finite in double, so a double reader would take it; the network computes in float32, where
    // it is infinite: refused where the file and line are known.
    for (String value : List.of("3.5e38", "-1e300", "Infinity", "NaN")) {
      List<String> lines = new ArrayList<>(rows(6, 8));
      lines.set(4, value + ",1.0,0");
      Path input = Files.writeString(dir.resolve("big" + Math.abs(value.hashCode()) + ".csv"), String.join("\n", lines) + "\n");
      CliRun r = stats(input);
      assertEquals(5, assertRefusedAtLine(input, r), r.err());
      assertTrue(r.err().contains(value.equals("NaN") ? "NaN" : value.startsWith("3.5") || value.startsWith("-1e") ? "out of float32 range" : "infinite"), r.err());
      Path prepOut = dir.resolve("prep-big");
      assertRefusedAtLine(input, run("prep", "--input", input.toString(), "--out", prepOut.toString()));
      assertFalse(Files.exists(prepOut));
    }
    // The largest float32 itself is a value like any other.
    List<String> lines = new ArrayList<>(rows(6, 9));
    lines.set(2, "3.4028234663852886E38,1.0,1");
    Path edge = Files.writeString(dir.resolve("edge.csv"), String.join("\n", lines) + "\n");
    assertEquals(0, stats(edge).code());
  }
}
