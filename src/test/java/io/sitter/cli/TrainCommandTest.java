package io.sitter.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitter.GeneratedPrepData;
import io.sitter.GeneratedPrepData.Examples;
import io.sitter.TestSpark;
import io.sitter.config.ConfigLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
  private static SparkSession spark;
  @TempDir static Path shared;
  private static Path data;

  @BeforeAll
  static void data() throws Exception {
    spark = TestSpark.session();
    Examples all = GeneratedPrepData.blobs(160, 3, 3, 12);
    Examples[] s = GeneratedPrepData.split(all, 100, 30);
    data = GeneratedPrepData.write(spark, shared.resolve("data"), s[0], s[1], s[2]);
  }

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SitterMain.execute(args, new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void trainsAndWritesTheRunDirectory(@TempDir Path tmp) throws Exception {
    Path run = tmp.resolve("run");
    Result r = run("train", "--data", data.toString(), "--out", run.toString(), "--partitions", "2",
        "--set", "model.hiddenLayers=[8]", "--set", "train.epochs=2", "--set", "train.minibatchSize=16");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("epoch 2/2"), r.out());
    assertTrue(r.out().contains("val_acc"), r.out());
    assertTrue(r.out().contains("run directory: " + run.toAbsolutePath()), r.out());
    assertTrue(r.out().contains("report: " + run.toAbsolutePath().resolve("report.html")), r.out());
    assertTrue(Files.readString(run.resolve("report.html")).contains("id=\"chart-loss\""), "train writes the run's report");
    for (String f : List.of("model.zip", "metrics.jsonl", "metrics.csv", "evaluation.json", "training.json",
        "checkpoints/epoch-0001/model.zip", "checkpoints/epoch-0002/state.json")) {
      assertTrue(Files.exists(run.resolve(f)), f);
    }
    assertArrayEquals(Files.readAllBytes(data.resolve("preprocessing.json")), Files.readAllBytes(run.resolve("preprocessing.json")));
    JsonNode config = new ObjectMapper().readTree(run.resolve("config.json").toFile());
    assertEquals(ConfigLoader.defaults(List.of("model.hiddenLayers=[8]", "train.epochs=2", "train.minibatchSize=16")),
        ConfigLoader.bind(config.get("config")));
    assertEquals(2, config.get("provenance").get("partitions").asInt());
    assertEquals(1, config.get("schemaVersion").asInt());
    JsonNode training = new ObjectMapper().readTree(run.resolve("training.json").toFile());
    assertEquals(Files.readAllLines(run.resolve("metrics.jsonl")).size(), training.get("rounds").asInt());
    JsonNode evaluation = new ObjectMapper().readTree(run.resolve("evaluation.json").toFile());
    assertEquals(30, evaluation.get("count").asInt());
  }

  /** Every file under {@code dir} (hidden ones too) and its bytes. */
  private static java.util.Map<String, String> snapshot(Path dir) throws Exception {
    java.util.Map<String, String> files = new java.util.TreeMap<>();
    try (var walk = Files.walk(dir)) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(f).toString(), java.util.HexFormat.of().formatHex(
            java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))) + " " + Files.getLastModifiedTime(f));
      }
    }
    return files;
  }

  @Test
  void resumingAFinishedRunSaysItIsCompleteAndRewritesNothing(@TempDir Path tmp) throws Exception {
    Path run = tmp.resolve("run");
    Result first = run("train", "--data", data.toString(), "--out", run.toString(), "--partitions", "1",
        "--set", "model.hiddenLayers=[8]", "--set", "train.epochs=1", "--set", "train.minibatchSize=32", "--no-checks");
    assertEquals(0, first.code(), first.err());
    var before = snapshot(run);
    assertTrue(before.containsKey("training.json") && before.containsKey("model.zip"), before.keySet().toString());
    JsonNode training = new ObjectMapper().readTree(run.resolve("training.json").toFile());

    Result again = run("train", "--data", data.toString(), "--resume", "--out", run.toString(), "--partitions", "1", "--no-checks");
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("is already complete (1 epochs, " + training.get("rounds").asInt() + " rounds)"), again.out());
    assertTrue(again.out().contains("nothing to resume"), again.out());
    assertFalse(again.out().contains("NaN"), again.out());
    // The results printed are the ones the run recorded, not a new measurement.
    assertTrue(again.out().contains(String.format(java.util.Locale.ROOT, "train loss %.4f", training.get("trainLoss").asDouble())), again.out());
    assertTrue(again.out().contains(String.format(java.util.Locale.ROOT, "test accuracy %.4f", training.get("testAccuracy").asDouble())), again.out());
    assertEquals(before, snapshot(run), "every file byte-identical, none touched");
  }

  @Test
  void anExistingOutIsRefusedAndLeftAlone(@TempDir Path tmp) throws Exception {
    Path run = Files.createDirectories(tmp.resolve("run"));
    Files.writeString(run.resolve("notes.txt"), "mine");
    Result r = run("train", "--data", data.toString(), "--out", run.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--overwrite"), r.err());
    Result o = run("train", "--data", data.toString(), "--out", run.toString(), "--overwrite");
    assertEquals(2, o.code(), "not a run directory: " + o.err());
    assertEquals("mine", Files.readString(run.resolve("notes.txt")));
  }

  @Test
  void badFlagsAndKeysExitTwo(@TempDir Path tmp) {
    assertEquals(2, run("train", "--data", data.toString(), "--out", tmp.resolve("a").toString(), "--set", "train.epoch=3").code());
    assertEquals(2, run("train", "--data", data.toString(), "--out", tmp.resolve("b").toString(), "--overwrite", "--resume").code());
    assertEquals(2, run("train", "--data", tmp.resolve("missing").toString(), "--out", tmp.resolve("c").toString()).code());
    assertEquals(2, run("train", "--data", data.toString(), "--out", tmp.resolve("d").toString(), "--partitions", "0").code());
    assertEquals(2, run("train", "--data", data.toString(), "--out", tmp.resolve("e").toString(), "--resume").code());
  }

  @Test
  void aLabelOutOfRangeExitsTwoNamingTheRow(@TempDir Path tmp) throws Exception {
    Examples blobs = GeneratedPrepData.blobs(40, 3, 3, 2);
    Path bad = GeneratedPrepData.write(spark, tmp.resolve("bad"), blobs, null, null);
    ObjectMapper json = new ObjectMapper();
    ObjectNode pre = (ObjectNode) json.readTree(bad.resolve("preprocessing.json").toFile());
    pre.put("numClasses", 2);
    pre.putArray("classes").add("a").add("b");
    Files.writeString(bad.resolve("preprocessing.json"), json.writeValueAsString(pre));
    Result r = run("train", "--data", bad.toString(), "--out", tmp.resolve("run").toString(), "--partitions", "2");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("has label 2, expected 0..1"), r.err());
    assertTrue(r.err().contains("row index="), r.err());
    assertFalse(Files.exists(tmp.resolve("run")), "bad input leaves no run directory behind");
  }

  @Test
  void rawInputRunsPrepIntoTheRunDirectoryFirst(@TempDir Path tmp) throws Exception {
    Examples blobs = GeneratedPrepData.blobs(90, 3, 2, 7);
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < blobs.size(); i++) {
      float[] x = blobs.features()[i];
      csv.append(x[0]).append(',').append(x[1]).append(',').append(x[2]).append(',').append(blobs.labels()[i] == 0 ? "cat" : "dog").append('\n');
    }
    Path input = Files.writeString(tmp.resolve("blobs.csv"), csv.toString());
    Path run = tmp.resolve("run");
    Result r = run("train", "--input", input.toString(), "--out", run.toString(), "--partitions", "2",
        "--set", "model.hiddenLayers=[4]", "--set", "train.epochs=1", "--set", "train.minibatchSize=16");
    assertEquals(0, r.code(), r.err());
    JsonNode pre = new ObjectMapper().readTree(run.resolve("prep/preprocessing.json").toFile());
    assertEquals(pre, new ObjectMapper().readTree(run.resolve("preprocessing.json").toFile()));
    assertEquals(List.of("cat", "dog"), List.of(pre.get("classes").get(0).asText(), pre.get("classes").get(1).asText()));
    assertTrue(Files.exists(run.resolve("model.zip")));
    assertEquals(2, run("train", "--input", input.toString(), "--data", data.toString(), "--out", tmp.resolve("x").toString()).code());
    assertEquals(2, run("train", "--out", tmp.resolve("y").toString()).code());
  }
}
