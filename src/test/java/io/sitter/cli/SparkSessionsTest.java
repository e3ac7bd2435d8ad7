package io.sitter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class SparkSessionsTest {
  private static final String OPTIONS = "spark.executor.extraJavaOptions";
  /** JavaCPP's per-allocation check off, sitter's per-minibatch check at the limit that follows. */
  private static final String SITTERS = "-Dorg.bytedeco.javacpp.maxphysicalbytes=0 -Dsitter.maxphysicalbytes=";

  private static SparkConf cluster() {
    return new SparkConf(false).setMaster("spark://10.0.0.1:7077");
  }

  private static String limitOf(SparkConf conf) {
    return SparkSessions.sitterConf(conf, false).get(OPTIONS);
  }

  @Test
  void executorsGetSittersOverheadUnlessTheUserSizedIt() {
    assertEquals("1536m", SparkSessions.sitterConf(cluster(), false).get("spark.executor.memoryOverhead"));
    // Spark's own default, 10% of the heap, where that is more.
    assertEquals((20480 / 10) + "m", SparkSessions.sitterConf(cluster().set("spark.executor.memory", "20g"), false)
        .get("spark.executor.memoryOverhead"));
    // Each further task per executor measured 0.7 GB more beyond the heap.
    assertEquals((1536 + 1024) + "m", SparkSessions.sitterConf(cluster().set("spark.executor.cores", "2"), false)
        .get("spark.executor.memoryOverhead"));
    assertEquals((1536 + 3 * 1024) + "m", SparkSessions.sitterConf(cluster().set("spark.executor.cores", "4"), false)
        .get("spark.executor.memoryOverhead"));
    assertEquals("1536m", SparkSessions.sitterConf(cluster().set("spark.executor.cores", "2").set("spark.task.cpus", "2"), false)
        .get("spark.executor.memoryOverhead"));
    assertEquals("512m", SparkSessions.sitterConf(cluster().set("spark.executor.memoryOverhead", "512m"), false)
        .get("spark.executor.memoryOverhead"));
    assertFalse(SparkSessions.sitterConf(cluster().set("spark.executor.memoryOverheadFactor", "0.4"), false)
        .contains("spark.executor.memoryOverhead"));
  }

  @Test
  void theDriversOpenBlasKernelChoiceReachesTheExecutorsUnlessTheUserSetTheirs() {
    SparkConf conf = cluster();
    SparkSessions.forwardOpenBlasKernelChoice(conf, java.util.Map.of("OPENBLAS_CORETYPE", "Haswell", "OPENBLAS_L2_SIZE", "512", "OTHER", "x"));
    assertEquals("Haswell", conf.get("spark.executorEnv.OPENBLAS_CORETYPE"));
    assertEquals("512", conf.get("spark.executorEnv.OPENBLAS_L2_SIZE"));
    assertFalse(conf.contains("spark.executorEnv.OTHER"));

    SparkConf own = cluster().set("spark.executorEnv.OPENBLAS_CORETYPE", "SkylakeX");
    SparkSessions.forwardOpenBlasKernelChoice(own, java.util.Map.of("OPENBLAS_CORETYPE", "Haswell"));
    assertEquals("SkylakeX", own.get("spark.executorEnv.OPENBLAS_CORETYPE"));

    SparkConf unset = cluster();
    SparkSessions.forwardOpenBlasKernelChoice(unset, java.util.Map.of());
    assertFalse(unset.contains("spark.executorEnv.OPENBLAS_CORETYPE"), "OpenBLAS picks by CPU, as without sitter");
  }

  @Test
  void executorsGetTheContainerSizeAsTheirNativeLimit() {
    // Spark's default heap, 1 GiB, and sitter's overhead.
    assertEquals(SITTERS + (1024 + 1536) + "m", limitOf(cluster()));
    assertEquals(SITTERS + (20480 + 2048) + "m", limitOf(cluster().set("spark.executor.memory", "20g")));
    assertEquals(SITTERS + (4096 + 1024) + "m",
        limitOf(cluster().set("spark.executor.memory", "4g").set("spark.executor.memoryOverhead", "1g")));
    assertEquals(SITTERS + (4096 + 1638) + "m", limitOf(cluster()
        .set("spark.executor.memory", "4g").set("spark.executor.memoryOverheadFactor", "0.4")));
    // Spark's own off-heap memory is granted on top and belongs to the same process.
    assertEquals(SITTERS + (2048 + 1536 + 512) + "m", limitOf(cluster()
        .set("spark.executor.memory", "2g").set("spark.memory.offHeap.enabled", "true").set("spark.memory.offHeap.size", "512m")));
  }

  @Test
  void theUsersExecutorOptionsAreKeptAndTheLimitAppended() {
    SparkConf conf = cluster().set("spark.executor.memory", "2g")
        .set(OPTIONS, "-XX:+UseG1GC -Dorg.bytedeco.javacpp.cachedir=/scratch/javacpp ");
    assertEquals("-XX:+UseG1GC -Dorg.bytedeco.javacpp.cachedir=/scratch/javacpp " + SITTERS + (2048 + 1536) + "m", limitOf(conf));
    // Applying sitter's settings twice (a session built from an already completed conf) adds nothing.
    SparkConf once = SparkSessions.sitterConf(conf, false);
    assertEquals(once.get(OPTIONS), SparkSessions.sitterConf(once, false).get(OPTIONS));
    assertEquals(once.get("spark.extraListeners"), SparkSessions.sitterConf(once, false).get("spark.extraListeners"));
  }

  @Test
  void aLimitTheUserSetWinsWhereverItIsSet() {
    String own = "-Dorg.bytedeco.javacpp.maxphysicalbytes=0 -Xss4m";
    assertEquals(own, limitOf(cluster().set(OPTIONS, own)));
    SparkConf viaDefaults = SparkSessions.sitterConf(cluster().set("spark.executor.defaultJavaOptions",
        "-Dorg.bytedeco.javacpp.maxphysicalbytes=6g"), false);
    assertFalse(viaDefaults.contains(OPTIONS), viaDefaults.get(OPTIONS, ""));
    // sitter's own limit, set by the user: kept, and JavaCPP's per-allocation check still turned off.
    assertEquals("-Dsitter.maxphysicalbytes=3g -Dorg.bytedeco.javacpp.maxphysicalbytes=0",
        limitOf(cluster().set(OPTIONS, "-Dsitter.maxphysicalbytes=3g")));
  }

  @Test
  void localModeHasNoExecutorsToLimit() {
    // The driver is the executor there, and scripts/sitter sizes its limit with its heap.
    SparkConf local = SparkSessions.sitterConf(new SparkConf(false).setMaster("local[2]"), false);
    assertFalse(local.contains(OPTIONS) || local.contains("spark.executor.memoryOverhead"), local.toDebugString());
  }

  @Test
  void theFailureListenerJoinsTheUsersListeners() {
    SparkConf conf = SparkSessions.sitterConf(cluster().set("spark.extraListeners", "com.example.Audit"), false);
    assertEquals("com.example.Audit," + EnvironmentFailureListener.class.getName(), conf.get("spark.extraListeners"));
  }

  @Test
  void roundResultsTravelInTheTaskStatusMessageUnlessTheUserSaysOtherwise() {
    SparkConf conf = SparkSessions.sitterConf(new SparkConf(false).setMaster("local[2]"), false);
    long direct = conf.getSizeAsBytes("spark.task.maxDirectResultSize");
    // Above Spark's 1 MB default (a default-network result is 3.3 MB), and below the RPC message
    // limit Spark caps it at, or the setting would not mean what it says.
    assertEquals(64L << 20, direct);
    assertTrue(direct < conf.getSizeAsBytes("spark.rpc.message.maxSize", "128m"));
    assertEquals(8L << 20, SparkSessions.sitterConf(new SparkConf(false).setMaster("local[2]")
        .set("spark.task.maxDirectResultSize", "8m"), false).getSizeAsBytes("spark.task.maxDirectResultSize"));
  }

  /** The Hadoop client gives up on an unreachable namenode in seconds; the user's settings win. */
  @Test
  void hadoopConnectRetriesAreBoundedUnlessTheUserSetThem() {
    SparkConf conf = SparkSessions.sitterConf(new SparkConf(false).setMaster("local[2]"), false);
    int retries = conf.getInt("spark.hadoop.ipc.client.connect.max.retries", 10);
    int interval = conf.getInt("spark.hadoop.ipc.client.connect.retry.interval", 1000);
    int timeout = conf.getInt("spark.hadoop.ipc.client.connect.timeout", 20000);
    int onTimeouts = conf.getInt("spark.hadoop.ipc.client.connect.max.retries.on.timeouts", 45);
    assertTrue((retries + 1) * (long) interval <= 10_000, "refused connections are retried for at most 10 s");
    assertTrue((onTimeouts + 1) * (long) timeout <= 25_000, "timed-out connects are retried for at most 25 s");
    assertEquals("false", conf.get("spark.hadoop.dfs.client.retry.policy.enabled"));
    SparkConf user = new SparkConf(false).setMaster("local[2]").set("spark.hadoop.ipc.client.connect.max.retries", "10");
    assertEquals("10", SparkSessions.sitterConf(user, false).get("spark.hadoop.ipc.client.connect.max.retries"));
  }
}
