package io.sitter.cli;

import static io.sitter.cli.SitterProcesses.assertSucceeded;
import static io.sitter.cli.SitterProcesses.launcher;
import static io.sitter.cli.SitterProcesses.params;
import static io.sitter.cli.SitterProcesses.rounds;
import static io.sitter.cli.SitterProcesses.runDirectory;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.TestFiles;
import io.sitter.storage.RunDirectory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sitter on a real YARN with its data and run directories on a real HDFS: {@code scripts/cluster
 * yarn start} (Hadoop's MiniYARNCluster with two node managers and MiniDFSCluster with two
 * datanodes, in one JVM on 127.0.0.1, {@link io.sitter.minicluster.MiniClusters}), and the cluster
 * jar submitted by {@code scripts/sitter --master yarn}, i.e. Spark's own SparkSubmit and YARN
 * client, with the environment that script prints for users: the command lines the README shows.
 * Every round is a pure function of (broadcast state, partition data, seed, round), so the model
 * trained on YARN, in client and in cluster deploy mode, and with an executor container killed in
 * the middle of a round, must equal the {@code local[2]} model trained from the same prep files.
 */
class YarnIT {
  /** As ClusterIT: a few minutes, 12 rounds, long enough to kill an executor in the middle. */
  private static final List<String> TRAINING = List.of("--partitions", "2", "--set", "train.epochs=3",
      "--set", "model.hiddenLayers=[32,32]", "--set", "train.averagingFrequency=2", "--no-checks");

  /**
   * One 1-core executor per partition, 1g heap; sitter adds its memoryOverhead default (1536m). No
   * web UI: on Spark 4.2 in client mode, the application master's proxy filter reached the driver
   * while its UI was still attaching servlets, and SparkContext failed with a
   * ConcurrentModificationException in Jetty's ServletHandler.initialize (fresh clone, 2026-12-03);
   * the UI plays no part in what this test checks.
   */
  private static final List<String> EXECUTORS = List.of("--conf", "spark.executor.instances=2",
      "--conf", "spark.executor.cores=1", "--conf", "spark.executor.memory=1g", "--conf", "spark.ui.enabled=false");

  @TempDir static Path dir;
  static Map<String, String> clusterEnv;
  static Map<String, String> yarnEnv;
  static Path yarnDir;
  static String hdfs;
  static Configuration hadoop;
  static float[] reference;

  @BeforeAll
  static void prepareDataClusterAndReference() throws Exception {
    Path csv = TestFiles.write(dir.resolve("blobs.csv"), TestFiles.blobsCsv(2000, 8, 4, 3, false));
    yarnDir = dir.resolve("minicluster");
    // Any free namenode port: other clusters may run on this machine.
    clusterEnv = Map.of("SITTER_YARN_DIR", yarnDir.toString(), "SITTER_HDFS_PORT", "0");
    SitterProcesses.Result started = run(List.of(SitterProcesses.base().resolve("scripts/cluster").toString(), "yarn", "start"));
    assertSucceeded(started);
    Properties cluster = new Properties();
    try (var in = Files.newInputStream(yarnDir.resolve("cluster.properties"))) {
      cluster.load(in);
    }
    hdfs = cluster.getProperty("hdfs.uri");
    Path conf = yarnDir.resolve("conf");
    // The environment scripts/cluster yarn start tells users to export.
    assertTrue(started.out().contains("export HADOOP_CONF_DIR=" + conf + " SPARK_CONF_DIR=" + conf), started.out());
    yarnEnv = Map.of("HADOOP_CONF_DIR", conf.toString(), "SPARK_CONF_DIR", conf.toString());

    hadoop = new Configuration();
    // The prep output written straight to HDFS, as the README shows; the local[2] reference
    // trains from the same files (HdfsCommandsTest shows HDFS and local inputs train alike).
    assertSucceeded(run(launcher("local[2]", "prep", "--input", csv.toString(), "--out", hdfs + "/data/prep")));
    Path local = dir.resolve("local");
    assertSucceeded(run(train("local[2]", List.of(), hdfs + "/data/prep", local.toString())));
    reference = params(runDirectory(local.toString(), hadoop));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (clusterEnv != null) {
      run(List.of(SitterProcesses.base().resolve("scripts/cluster").toString(), "yarn", "stop"));
    }
  }

  @Test
  void clientModeWithDataAndRunOnHdfsEqualsLocalMode() throws Exception {
    String out = hdfs + "/runs/client";
    List<String> submit = new ArrayList<>(List.of("--deploy-mode", "client"));
    submit.addAll(EXECUTORS);
    assertSucceeded(run(train("yarn", submit, hdfs + "/data/prep", out), yarnEnv));
    RunDirectory run = runDirectory(out, hadoop);
    assertArrayEquals(reference, params(run), 1e-6f);
    assertRunOnHdfs(run);
  }

  /**
   * The driver in the application master's container, and one of the two executor containers
   * killed (SIGKILL, as a node failure or the kernel's OOM killer does) once two rounds are
   * committed: Spark re-runs its tasks on a replacement YARN grants, rebuilding the cached shard
   * from the HDFS files, and the model is still the local one.
   */
  @Test
  void clusterModeWithAnExecutorContainerKilledInTheMiddleOfARoundEqualsLocalMode() throws Exception {
    String out = hdfs + "/runs/cluster";
    List<String> submit = new ArrayList<>(List.of("--deploy-mode", "cluster"));
    submit.addAll(EXECUTORS);
    SitterProcesses.Launched p = SitterProcesses.start(dir, train("yarn", submit, hdfs + "/data/prep", out), yarnEnv);
    RunDirectory run = runDirectory(out, hadoop);
    SitterProcesses.waitFor(() -> rounds(run) >= 2, p.process(), "two rounds on HDFS");
    List<ProcessHandle> executors = executorContainers();
    assertTrue(executors.size() >= 1, "the executor containers' JVMs");
    ProcessHandle victim = executors.get(0);
    victim.destroyForcibly();
    SitterProcesses.Result res = SitterProcesses.finish(p);
    assertSucceeded(res);
    assertFalse(victim.isAlive(), "the executor was killed");
    String driverLog = applicationMasterLog();
    assertTrue(driverLog.contains("Lost executor") || driverLog.contains("Container killed") || driverLog.contains("exited"),
        "the driver saw the executor go");
    assertArrayEquals(reference, params(run), 1e-6f);
    assertRunOnHdfs(run);
  }

  private static void assertRunOnHdfs(RunDirectory run) throws Exception {
    for (String f : List.of(RunDirectory.MODEL, RunDirectory.METRICS, RunDirectory.METRICS_CSV, RunDirectory.TRAINING, RunDirectory.REPORT)) {
      assertTrue(run.has(f), f + " in " + run.path());
    }
    assertTrue(run.path().toUri().getScheme().equals("hdfs"), run.path().toString());
    // 3 epochs of 1600 rows in minibatches of 32 over 2 partitions, 2 minibatches per round: 12 rounds.
    assertTrue(rounds(run) == 12, "12 rounds in metrics.jsonl, not " + rounds(run));
    assertTrue(run.readText(RunDirectory.REPORT).orElseThrow().contains("id=\"chart-loss\""), "the report");
  }

  /** Executor JVMs the mini cluster's node managers launched (its descendants), newest last. */
  private static List<ProcessHandle> executorContainers() throws Exception {
    long pid = Long.parseLong(Files.readString(yarnDir.resolve("minicluster.pid")).trim());
    ProcessHandle cluster = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("the mini cluster is not running"));
    return cluster.descendants()
        .filter(h -> h.info().arguments().map(a -> List.of(a).contains("org.apache.spark.executor.YarnCoarseGrainedExecutorBackend")).orElse(false))
        .toList();
  }

  /** The stderr of the newest application's first container (its application master, the driver in cluster mode). */
  private static String applicationMasterLog() throws Exception {
    try (Stream<Path> s = Files.walk(yarnDir.resolve("target"))) {
      Path log = s.filter(f -> f.getFileName().toString().equals("stderr") && f.getParent().getFileName().toString().endsWith("_01_000001"))
          .max(Comparator.comparing(f -> f.getParent().getFileName().toString()))
          .orElseThrow(() -> new AssertionError("no application master log"));
      return Files.readString(log, StandardCharsets.UTF_8);
    }
  }

  private static List<String> train(String master, List<String> submit, String data, String out) {
    List<String> c = launcher(master);
    c.addAll(submit);
    c.addAll(List.of("train", "--data", data, "--out", out));
    c.addAll(TRAINING);
    return c;
  }

  private static SitterProcesses.Result run(List<String> command) throws Exception {
    return run(command, Map.of());
  }

  private static SitterProcesses.Result run(List<String> command, Map<String, String> env) throws Exception {
    Map<String, String> all = new HashMap<>(clusterEnv == null ? Map.of() : clusterEnv);
    all.putAll(env);
    return SitterProcesses.run(dir, command, all);
  }
}
