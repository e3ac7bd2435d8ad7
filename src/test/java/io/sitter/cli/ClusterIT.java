package io.sitter.cli;

import static io.sitter.cli.SitterProcesses.assertSucceeded;
import static io.sitter.cli.SitterProcesses.finish;
import static io.sitter.cli.SitterProcesses.freePort;
import static io.sitter.cli.SitterProcesses.waitFor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import io.sitter.cli.SitterProcesses.Launched;
import io.sitter.cli.SitterProcesses.Result;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * sitter on a real multi-process Spark standalone cluster ({@code scripts/cluster}, two one-core
 * workers on 127.0.0.1) in client mode with Kryo registration required, against the same training
 * in {@code local[2]}; and the failures clusters have: an executor JVM killed in the middle of a
 * round (Spark re-runs its tasks and rebuilds its cached shard from lineage) and the driver killed
 * in the middle of training ({@code --resume} from the last checkpoint). Every round is a pure
 * function of (broadcast state, partition data, seed, round), so all of them must end with the
 * same parameters as the undisturbed local run. And the failures a bad executor environment causes
 * (natives that do not load, too little memory), which must end the run at the first failed task
 * with exit code 1 and a last line naming the setting, not after Spark's retries.
 */
class ClusterIT {
  /** Small enough for a few minutes, long enough (12 rounds) to kill things in the middle; the preflight checks are tested elsewhere. */
  private static final List<String> TRAINING = List.of("--partitions", "2", "--set", "train.epochs=3",
      "--set", "model.hiddenLayers=[32,32]", "--set", "train.averagingFrequency=2", "--no-checks");

  @TempDir static Path dir;
  static Path base;
  static Path prep;
  static Map<String, String> clusterEnv;
  static String master;
  static float[] reference;

  @BeforeAll
  static void prepareDataClusterAndReference() throws Exception {
    base = Path.of(System.getProperty("sitter.basedir", ".")).toAbsolutePath();
    Random r = new Random(3);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      int y = i % 4;
      StringBuilder sb = new StringBuilder();
      for (int j = 0; j < 8; j++) {
        sb.append(String.format("%.5f,", (j == y ? 2.0 : 0.0) + r.nextGaussian()));
      }
      lines.add(sb.append(y).toString());
    }
    Path csv = dir.resolve("blobs.csv");
    Files.write(csv, lines);
    prep = dir.resolve("prep");
    assertSucceeded(run(launcher("local[2]", "prep", "--input", csv.toString(), "--out", prep.toString())));

    int port = freePort();
    int ui = freePort();
    clusterEnv = Map.of("SITTER_CLUSTER_DIR", dir.resolve("cluster").toString(),
        "SITTER_MASTER_PORT", Integer.toString(port), "SITTER_MASTER_UI_PORT", Integer.toString(ui));
    master = "spark://127.0.0.1:" + port;
    assertSucceeded(run(List.of(base.resolve("scripts/cluster").toString(), "start", "--workers", "2"), clusterEnv));

    Path local = dir.resolve("local");
    assertSucceeded(run(train("local[2]", local)));
    reference = params(local);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (clusterEnv != null) {
      run(List.of(base.resolve("scripts/cluster").toString(), "stop"), clusterEnv);
    }
  }

  @Test
  void trainingOnTheClusterEqualsTrainingInLocalMode() throws Exception {
    Path out = dir.resolve("cluster-run");
    Result res = run(train(master, out));
    assertSucceeded(res);
    assertArrayEquals(reference, params(out), 1e-6f);
  }

  @Test
  void anExecutorKilledInTheMiddleOfARoundChangesNothing() throws Exception {
    Path out = dir.resolve("executor-loss");
    Launched p = start(train(master, out), Map.of());
    waitFor(() -> rows(out) >= 2, p.process(), "two rounds");
    List<ProcessHandle> executors = new ArrayList<>();
    for (int w = 1; w <= 2; w++) {
      long worker = Long.parseLong(Files.readString(dir.resolve("cluster").resolve("worker-" + w + ".pid")).trim());
      ProcessHandle.of(worker).ifPresent(h -> h.children().forEach(executors::add));
    }
    assertTrue(!executors.isEmpty(), "the workers' executor JVMs");
    executors.get(0).destroyForcibly();
    Result res = finish(p);
    assertSucceeded(res);
    assertTrue(res.err().contains("Lost executor"), "an executor was really lost:\n" + res.err());
    assertArrayEquals(reference, params(out), 1e-6f);
  }

  @Test
  void aDriverKilledInTheMiddleOfTrainingResumesToTheSameModel() throws Exception {
    Path out = dir.resolve("driver-loss");
    Launched p = start(train("local[2]", out), Map.of());
    waitFor(() -> Files.isDirectory(out.resolve("checkpoints")) && rows(out) >= 6, p.process(), "the epoch-1 checkpoint");
    p.process().destroyForcibly().waitFor();
    assertTrue(!Files.exists(out.resolve("model.zip")), "killed before the end");
    // Resume continues with the run's saved configuration, so no --set here.
    assertSucceeded(run(launcher("local[2]", "train", "--data", prep.toString(), "--out", out.toString(),
        "--partitions", "2", "--resume")));
    assertArrayEquals(reference, params(out), 1e-6f);
  }

  /**
   * Executors whose JavaCPP looks for another platform's natives ({@code
   * -Dorg.bytedeco.javacpp.platform=linux-arm64}: what an ARM executor does with sitter's x86-64-only
   * jar) fail ND4J's start with "no jniopenblas_nolapack". An unwritable {@code
   * org.bytedeco.javacpp.cachedir} does not break loading: JavaCPP then extracts to java.io.tmpdir,
   * and with both unwritable it still loaded (tried on this cluster). Before sitter cancelled at the
   * first such failure, Spark reported only the fourth retry's "NoClassDefFoundError: Could not
   * initialize class org.nd4j.linalg.factory.Nd4j", which named no library.
   */
  @Test
  void nativesThatDoNotLoadOnExecutorsFailTheRunAtOnceNamingTheSetting() throws Exception {
    Result res = run(train(master, dir.resolve("no-natives"),
        "spark.executor.extraJavaOptions=-Dorg.bytedeco.javacpp.platform=linux-arm64"));
    assertEquals(1, res.code(), "an environment failure, not bad input\n" + res.err());
    assertTrue(res.err().contains("no retry can fix") && res.err().contains("UnsatisfiedLinkError: no jniopenblas_nolapack"),
        "cancelled at the first failure, whose cause is shown:\n" + res.err());
    assertFalse(res.err().contains("failed 4 times"), "Spark's retries were not waited for:\n" + res.err());
    assertTrue(lastLine(res.err()).contains("org.bytedeco.javacpp.cachedir") && lastLine(res.err()).contains("linux-x86_64"),
        "the hint is the last line:\n" + res.err());
  }

  /**
   * Executors too small for what a task holds: a physical-memory limit (which sitter otherwise sets
   * to memory + overhead) far below the resident size the network and shard need, as sitter's own
   * limit checked between minibatches and as JavaCPP's, checked on every allocation, when a user
   * sets that instead. The executor dies of the OutOfMemoryError with exit code 52 before its
   * task's failure reaches the driver; Spark used to relaunch the executors four times (2.7
   * minutes for one epoch here) and then report only "MetadataFetchFailedException: Missing an
   * output location for shuffle".
   */
  @ParameterizedTest
  @ValueSource(strings = {"-Dsitter.maxphysicalbytes=100m", "-Dorg.bytedeco.javacpp.maxphysicalbytes=100m"})
  void executorsWithTooLittleMemoryFailTheRunAtOnceNamingTheSettings(String limit) throws Exception {
    Result res = run(train(master, dir.resolve("no-memory" + limit.length()), "spark.executor.extraJavaOptions=" + limit));
    assertEquals(1, res.code(), "an environment failure, not bad input\n" + res.err());
    // Usually the executor's exit arrives first; should its task's own failure win the race, it names the limit.
    assertTrue(res.err().contains("no retry can fix")
        && (res.err().contains("exited with code 52") || res.err().contains("Physical memory usage is too high")),
        "cancelled at the first executor's OutOfMemoryError:\n" + res.err());
    assertFalse(res.err().contains("maximum allowable number of times"), "no relaunch rounds:\n" + res.err());
    assertTrue(lastLine(res.err()).contains("spark.executor.memoryOverhead") && lastLine(res.err()).contains("maxphysicalbytes"),
        "the hint is the last line:\n" + res.err());
  }

  // ---- launching: SitterProcesses, with this class's working directory and cluster settings ----

  private static String lastLine(String text) {
    List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }

  private static List<String> launcher(String masterUrl, String... args) {
    List<String> c = SitterProcesses.launcher(masterUrl);
    if (masterUrl.startsWith("spark://")) {
      c.addAll(List.of("--conf", "spark.executor.cores=1", "--conf", "spark.cores.max=2", "--conf", "spark.executor.memory=1g"));
    }
    c.addAll(List.of(args));
    return c;
  }

  private static List<String> train(String masterUrl, Path out, String... confs) {
    List<String> c = launcher(masterUrl);
    for (String conf : confs) {
      c.addAll(List.of("--conf", conf));
    }
    c.addAll(List.of("train", "--data", prep.toString(), "--out", out.toString()));
    c.addAll(TRAINING);
    return c;
  }

  private static Launched start(List<String> command, Map<String, String> env) throws IOException {
    return SitterProcesses.start(dir, command, env);
  }

  private static Result run(List<String> command) throws Exception {
    return run(command, Map.of());
  }

  private static Result run(List<String> command, Map<String, String> env) throws Exception {
    return SitterProcesses.run(dir, command, env);
  }

  /** Committed rounds, read as sitter reads them (while a run goes they are in metrics.jsonl's segments). */
  private static long rows(Path run) throws IOException {
    return SitterProcesses.rounds(SitterProcesses.runDirectory(run.toString(), new Configuration()));
  }

  private static float[] params(Path run) {
    return SitterProcesses.params(SitterProcesses.runDirectory(run.toString(), new Configuration()));
  }
}
