package io.sitter.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sitter.GeneratedPrepData;
import io.sitter.TestFiles;
import io.sitter.TestSpark;
import io.sitter.storage.RunDirectory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} at 24 seeded random moments during prep, train (checkpoint writes included),
 * predict and report, each in a child JVM running {@link SitterMain} on {@code local[1]}. After
 * every kill: the previous complete output is intact (byte for byte, or replaced whole by the new
 * one), no file under a final name is half written (every JSON parses, every model and checkpoint
 * loads, every Parquet split holds the rows preprocessing.json counts), the dead process's lock is
 * taken over by the next command, and a run killed any number of times finishes with {@code
 * --resume} to the model of an undisturbed run. An IT (Failsafe, {@code mvn verify}): about 30 JVM
 * starts, several minutes on 2 cores.
 */
class KillNineIT {
  private static final long SEED = 18;
  @TempDir static Path dir;
  private static Path csv;
  /** Unlabelled rows of the trained model's 6 features (the generated prep data names its classes class0..2). */
  private static Path features;
  private static Path data;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> TRAINING = List.of("--partitions", "1", "--no-checks", "--set", "model.hiddenLayers=[16]",
      "--set", "train.epochs=6", "--set", "train.minibatchSize=16", "--set", "train.checkpointEveryEpochs=1");

  @BeforeAll
  static void inputs() throws Exception {
    csv = TestFiles.write(dir.resolve("in.csv"), TestFiles.blobsCsv(3000, 6, 3, 4, true));
    features = TestFiles.write(dir.resolve("features.csv"),
        TestFiles.blobsCsv(3000, 6, 3, 4, false).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList());
    GeneratedPrepData.Examples[] s = GeneratedPrepData.split(GeneratedPrepData.blobs(600, 6, 3, 5), 480, 60);
    data = GeneratedPrepData.write(TestSpark.session(), dir.resolve("data"), s[0], s[1], s[2]);
  }

  /** A child JVM running one sitter command, as the test JVM runs (its classpath and JVM flags). */
  private static Process start(String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!a.startsWith("-agentlib") && !a.startsWith("-javaagent")) {
        cmd.add(a);
      }
    }
    for (String flag : SitterProcesses.childJvmFlags().split("\\s+")) {
      if (!flag.isEmpty()) {
        cmd.add(flag);
      }
    }
    cmd.addAll(List.of("-Dspark.master=local[1]", "-Dspark.ui.enabled=false", "-cp", System.getProperty("java.class.path"),
        SitterMain.class.getName()));
    cmd.addAll(List.of(args));
    Path log = dir.resolve("child-" + System.nanoTime() + ".log");
    return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** Runs a command to its end; its exit code and how long it took. */
  private static long[] complete(String... args) throws Exception {
    long t0 = System.nanoTime();
    Process p = start(args);
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "finishes");
    return new long[] {p.exitValue(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)};
  }

  /** Starts a command and SIGKILLs it after {@code millis} (or lets it end first). */
  private static void killAfter(long millis, String... args) throws Exception {
    Process p = start(args);
    if (!p.waitFor(millis, TimeUnit.MILLISECONDS)) {
      p.destroyForcibly(); // SIGKILL on Linux
      p.waitFor();
    }
  }

  /** A prep output's content: preprocessing.json and each split's rows in index order (Parquet part names hold a random id). */
  private static List<String> prepContent(Path prep) throws IOException {
    List<String> content = new ArrayList<>(List.of(Files.readString(prep.resolve("preprocessing.json"))));
    for (String split : List.of("train", "val", "test")) {
      content.add(TestSpark.session().read().parquet(prep.resolve(split).toString()).sort("index").collectAsList().toString());
    }
    return content;
  }

  @Test
  void killedAtRandomMomentsNothingIsLostAndResumeFinishes() throws Exception {
    Random random = new Random(SEED);
    int kills = 0;

    // ---- prep: an existing complete output, replaced with --overwrite by a process killed at random
    Path prep = dir.resolve("prep");
    long[] first = complete("prep", "--input", csv.toString(), "--out", prep.toString(), "--seed", "1");
    assertEquals(0, first[0]);
    List<String> old = prepContent(prep);
    List<List<String>> afterKills = new ArrayList<>();
    for (int i = 0; i < 6; i++, kills++) {
      killAfter(300 + (long) (random.nextDouble() * first[1]), "prep", "--input", csv.toString(), "--out", prep.toString(),
          "--seed", "2", "--overwrite");
      assertPrepComplete(prep);
      afterKills.add(prepContent(prep));
    }
    assertEquals(0, complete("prep", "--input", csv.toString(), "--out", prep.toString(), "--seed", "2", "--overwrite")[0],
        "run again after the kills (the last one's lock taken over), prep finishes");
    List<String> replaced = prepContent(prep);
    assertTrue(!replaced.equals(old), "seed 2 splits differently from seed 1");
    for (int i = 0; i < afterKills.size(); i++) {
      assertTrue(afterKills.get(i).equals(old) || afterKills.get(i).equals(replaced),
          "prep after kill " + i + ": the old output or the new one, whole");
    }

    // ---- train: killed again and again (the resumes too), then resumed to the end
    Path run = dir.resolve("run");
    Path reference = dir.resolve("reference");
    List<String> ref = new ArrayList<>(List.of("train", "--data", data.toString(), "--out", reference.toString()));
    ref.addAll(TRAINING);
    long[] trained = complete(ref.toArray(String[]::new));
    assertEquals(0, trained[0]);
    for (int i = 0; i < 10; i++, kills++) {
      List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--out", run.toString()));
      args.addAll(TRAINING);
      if (Files.exists(run.resolve(RunDirectory.CONFIG))) {
        args.add("--resume");
      } else if (Files.exists(run)) {
        args.add("--overwrite"); // killed before its config.json: nothing to resume
      }
      killAfter(300 + (long) (random.nextDouble() * trained[1]), args.toArray(String[]::new));
      assertRunConsistent(run);
    }
    List<String> resume = new ArrayList<>(List.of("train", "--data", data.toString(), "--out", run.toString()));
    resume.addAll(TRAINING);
    resume.add(Files.exists(run.resolve(RunDirectory.CONFIG)) ? "--resume" : "--overwrite");
    assertEquals(0, complete(resume.toArray(String[]::new))[0], "the killed run finishes");
    assertRunConsistent(run);
    assertArrayEquals(SitterProcesses.params(TestFiles.runDir(reference)), SitterProcesses.params(TestFiles.runDir(run)),
        "resumed after every kill, the same model as the undisturbed run");

    // ---- predict: an existing prediction file, rewritten by processes killed at random
    Path predictions = dir.resolve("p.csv");
    long[] predicted = complete("predict", "--model", reference.toString(), "--input", features.toString(), "--label", "none", "--out", predictions.toString());
    assertEquals(0, predicted[0]);
    byte[] expected = Files.readAllBytes(predictions);
    for (int i = 0; i < 4; i++, kills++) {
      killAfter(300 + (long) (random.nextDouble() * predicted[1]), "predict", "--model", reference.toString(), "--input", features.toString(), "--label", "none",
          "--out", predictions.toString(), "--overwrite");
      assertArrayEquals(expected, Files.readAllBytes(predictions), "predictions after kill " + i + ": the old file or the same new one, whole");
    }
    assertEquals(0, complete("predict", "--model", reference.toString(), "--input", features.toString(), "--label", "none", "--out", predictions.toString(),
        "--overwrite")[0]);
    assertArrayEquals(expected, Files.readAllBytes(predictions));

    // ---- report
    long[] reported = complete("report", reference.toString());
    assertEquals(0, reported[0]);
    for (int i = 0; i < 4; i++, kills++) {
      killAfter(300 + (long) (random.nextDouble() * reported[1]), "report", reference.toString());
      String html = Files.readString(reference.resolve(RunDirectory.REPORT));
      assertTrue(html.stripTrailing().endsWith("</html>"), "report.html whole after kill " + i);
    }
    assertTrue(kills >= 20, kills + " kills");
    // Every command after a kill took over the dead process's lock; none is left.
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(), s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".lock")).toList());
    }
  }

  /** preprocessing.json parses and every split holds the rows it counts. */
  private static void assertPrepComplete(Path prep) throws IOException {
    JsonNode p = JSON.readTree(prep.resolve("preprocessing.json").toFile());
    for (String split : List.of("train", "val", "test")) {
      long rows = TestSpark.session().read().parquet(prep.resolve(split).toString()).count();
      assertEquals(p.path("counts").path(split).asLong(), rows, split);
    }
  }

  /** Whatever a killed run left under final names is whole: JSON parses, models and checkpoints load. */
  private static void assertRunConsistent(Path run) throws IOException {
    if (!Files.exists(run)) {
      return;
    }
    RunDirectory r = TestFiles.runDir(run);
    for (String name : List.of(RunDirectory.CONFIG, RunDirectory.TRAINING, RunDirectory.EVALUATION, RunDirectory.CHECKS)) {
      if (Files.exists(run.resolve(name))) {
        JSON.readTree(run.resolve(name).toFile());
      }
    }
    if (Files.exists(run.resolve(RunDirectory.MODEL))) {
      SitterProcesses.params(r);
    }
    r.latestCheckpoint().ifPresent(c -> r.readModel(c, in -> org.deeplearning4j.util.ModelSerializer.restoreMultiLayerNetwork(in, true)));
    Path checkpoints = run.resolve(RunDirectory.CHECKPOINTS);
    if (Files.isDirectory(checkpoints)) {
      try (Stream<Path> s = Files.list(checkpoints)) {
        for (Path c : s.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
          assertTrue(Files.exists(c.resolve("model.zip")) && Files.exists(c.resolve("state.json")), "checkpoint " + c + " is whole");
          JSON.readTree(c.resolve("state.json").toFile());
        }
      }
    }
    SitterProcesses.rounds(r); // metrics parse
  }
}
