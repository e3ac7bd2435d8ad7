package io.sitter.cli;

import io.sitter.model.NativeMemoryLimit;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The only place sitter builds a {@link SparkSession}. Settings the user (spark-submit {@code
 * --conf}, spark-defaults.conf) already made win; sitter fills in what DL4J on Spark needs.
 */
public final class SparkSessions {
  private SparkSessions() {}

  /** A session for one command; {@code verbose} brings back Spark's INFO logging. */
  public static SparkSession create(String appName, boolean verbose) {
    if (verbose) {
      Configurator.setRootLevel(Level.INFO);
    }
    SparkConf conf = sitterConf(new SparkConf(), verbose).setAppName("sitter " + appName);
    return SparkSession.builder().config(conf).getOrCreate();
  }

  /**
   * sitter's settings over {@code base}, without overriding anything already set.
   *
   * <p>One native thread per task: by default ND4J runs 2 OpenMP and 2 OpenBLAS threads per JVM,
   * so two tasks on two cores oversubscribe and throughput halves; with one thread per task runs
   * are also bit-for-bit reproducible (measured: 6-8k vs 14-18k samples/s in local[2]; oversubscribed runs were not reproducible).
   */
  public static SparkConf sitterConf(SparkConf base, boolean verbose) {
    SparkConf conf = base.clone();
    conf.setIfMissing("spark.master", "local[*]");
    conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
    appendToList(conf, "spark.kryo.registrator", SitterKryoRegistrator.class.getName());
    // float[] payloads of a few MB per partition and round (params + Adam state).
    conf.setIfMissing("spark.kryoserializer.buffer.max", "512m");
    // A round's task result (3.3 MB of floats per partition for the default network) is above
    // Spark's 1 MB spark.task.maxDirectResultSize, so each one was stored in the executor's block
    // manager and fetched by the driver in a second transfer (Executor: IndirectTaskResult;
    // TaskResultGetter: getRemoteBytes), about 10 ms per round in local[2]. Up to 64 MB it now
    // rides in the task's status message (Spark caps it at spark.rpc.message.maxSize, 128 MB);
    // larger networks fall back to the block manager by themselves. Measured, K=1, local[2],
    // 1 epoch, paired runs: 3.2k/3.3k -> 3.7k/3.4k samples/s.
    conf.setIfMissing("spark.task.maxDirectResultSize", "64m");
    conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", "1");
    conf.setIfMissing("spark.executorEnv.OPENBLAS_NUM_THREADS", "1");
    forwardOpenBlasKernelChoice(conf);
    conf.setIfMissing("spark.task.cpus", "1");
    conf.setIfMissing("spark.ui.showConsoleProgress", Boolean.toString(verbose));
    conf.setIfMissing("spark.sql.parquet.compression.codec", "snappy");
    failFastOnUnreachableFileSystems(conf);
    appendToList(conf, "spark.extraListeners", EnvironmentFailureListener.class.getName());
    if (conf.get("spark.master").startsWith("local")) {
      // This machine's hostname may resolve to loopback and Spark then picks another interface.
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    } else {
      sizeExecutorOverhead(conf);
      limitExecutorNativeMemory(conf);
    }
    return conf;
  }

  /** The Hadoop configuration's prefix in Spark's: Spark copies these keys into it, prefix removed. */
  static final String HADOOP_PREFIX = "spark.hadoop.";

  /**
   * Hadoop's IPC client settings, so that a file system nobody answers for fails the command in
   * seconds with a message naming the URI instead of after Hadoop's retry loops (defaults from
   * Hadoop 3.3.4's core-default.xml and HdfsClientConfigKeys). Measured against 127.0.0.1: a port
   * nothing listens on is refused at once and the HDFS client, whose connection retry policy is
   * its {@code dfs.client.retry.policy.enabled} = false (try once), fails in 0.1 s even at the
   * defaults. A host that does not answer (packets dropped: a firewall, a wrong address, a hung
   * namenode whose accept queue is full) waits {@code ipc.client.connect.timeout} = 20 s per
   * attempt, {@code ipc.client.connect.max.retries.on.timeouts} = 45 times: 15 minutes (still
   * waiting after 87 s, measured). Here 5 s and 1 retry, 10 s (2 retries measured 16.6 s on an
   * idle machine and 20.9 s in a busy test run: too near 30 s); TCP resends a lost SYN within
   * those 5 s, and a working namenode completes a connect in milliseconds. IPC
   * clients that bring no retry policy of their own retry refused connections {@code
   * ipc.client.connect.max.retries} = 10 times 1 s apart: 3 here. HDFS's own retry policy stays
   * off, as is its default (on, its spec {@code 10000,6,60000,10} retries for over 10 minutes).
   * An HA nameservice keeps Hadoop's failover retries ({@code dfs.client.failover.*}): cutting
   * them would break a real failover. The user's settings ({@code --conf spark.hadoop.ipc...})
   * win.
   */
  static void failFastOnUnreachableFileSystems(SparkConf conf) {
    conf.setIfMissing(HADOOP_PREFIX + "ipc.client.connect.max.retries", "3");
    conf.setIfMissing(HADOOP_PREFIX + "ipc.client.connect.retry.interval", "1000");
    conf.setIfMissing(HADOOP_PREFIX + "ipc.client.connect.timeout", "5000");
    conf.setIfMissing(HADOOP_PREFIX + "ipc.client.connect.max.retries.on.timeouts", "1");
    conf.setIfMissing(HADOOP_PREFIX + "dfs.client.retry.policy.enabled", "false");
  }

  /**
   * The executor memory outside the Java heap that sitter asks for when the user says nothing,
   * for one task per executor. Measured on the standalone cluster (scripts/bench/executor-memory,
   * default network): an executor running one task peaked at 1.0 GB resident beyond its committed
   * heap (ND4J's and OpenBLAS's native libraries and buffers, the JVM's metaspace, code cache and
   * threads), with 1g and 4g heaps alike; one running two tasks at 1.7 GB. Spark's default overhead
   * is max(384 MiB, 10% of the heap). These are the measurements plus half.
   */
  static final long ND4J_OVERHEAD_MIB = 1536;

  /** What each further concurrent task in an executor adds to {@link #ND4J_OVERHEAD_MIB}. */
  static final long ND4J_OVERHEAD_PER_EXTRA_TASK_MIB = 1024;

  /**
   * Raises Spark's default {@code spark.executor.memoryOverhead} to what ND4J needs for the
   * executor's concurrent tasks ({@code spark.executor.cores / spark.task.cpus}) unless the user
   * set the overhead or its factor: YARN and Kubernetes size executor containers with it, and with
   * Spark's 384 MiB a default run's executors are killed.
   */
  static void sizeExecutorOverhead(SparkConf conf) {
    if (conf.contains("spark.executor.memoryOverhead") || conf.contains("spark.executor.memoryOverheadFactor")) {
      return;
    }
    long tasks = Math.max(1, conf.getInt("spark.executor.cores", 1) / Math.max(1, conf.getInt("spark.task.cpus", 1)));
    long nd4j = ND4J_OVERHEAD_MIB + ND4J_OVERHEAD_PER_EXTRA_TASK_MIB * (tasks - 1);
    conf.set("spark.executor.memoryOverhead", Math.max(nd4j, sparkOverheadMib(conf)) + "m");
  }

  static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxphysicalbytes";
  private static final String SITTER_LIMIT = "-D" + NativeMemoryLimit.PROPERTY + "=";

  /**
   * OpenBLAS's variables that pick its kernels and their blocking, forwarded from the driver's
   * environment to the executors when set there and not already set for them. OpenBLAS chooses
   * kernels by CPU unless OPENBLAS_CORETYPE names one, and different kernels sum in different orders:
   * the same seed then trains to different parameters. Executors that a local shell starts inherit
   * the variable (local mode, a standalone worker), YARN containers do not (the NodeManager passes a
   * fixed environment), so a driver pinned to Haswell kernels trained apart from its YARN executors
   * on the same machine: round-1 losses 1.6670144200 vs 1.6670143902, and Adam turned such
   * last-bit differences in the gradients of biases ahead of BatchNorm (which cancels them exactly
   * in theory) into differences of 1e-4 after 12 rounds (YarnIT, 2026-12-07, on a machine whose
   * environment sets OPENBLAS_CORETYPE=Haswell).
   */
  static void forwardOpenBlasKernelChoice(SparkConf conf) {
    forwardOpenBlasKernelChoice(conf, System.getenv());
  }

  static void forwardOpenBlasKernelChoice(SparkConf conf, java.util.Map<String, String> env) {
    for (String name : OPENBLAS_KERNEL_VARIABLES) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        conf.setIfMissing("spark.executorEnv." + name, value);
      }
    }
  }

  /** OpenBLAS's kernel choice (OPENBLAS_CORETYPE) and the cache size its blocking assumes. */
  static final List<String> OPENBLAS_KERNEL_VARIABLES = List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE");

  /**
   * Limits executors' resident size to the memory their cluster manager grants them (heap +
   * overhead + Spark's off-heap): {@code -Dsitter.maxphysicalbytes=<that>}, checked by sitter
   * between minibatches ({@link NativeMemoryLimit}), with JavaCPP's own per-allocation check off
   * ({@code -Dorg.bytedeco.javacpp.maxphysicalbytes=0}), unless the user's executor Java options
   * already name JavaCPP's limit (then JavaCPP checks it, as the user asked); the user's options
   * are kept and sitter's appended, and a {@code sitter.maxphysicalbytes} of the user's is kept.
   *
   * <p>Above the limit both call {@code System.gc()} and wait up to {@code maxretries} (10) times
   * so unreachable ND4J buffers are freed, then throw {@code OutOfMemoryError("Physical memory
   * usage is too high ...")}. Without any limit JavaCPP's default is {@code 2 * Runtime.maxMemory()}:
   * for a 4g executor 8g, far more than YARN or Kubernetes lets the container use (4g + 1.5g
   * overhead), so the container would be killed (exit 137, no message) before anything is
   * collected or explained; for a 1g executor 2g, 60 MB above what a default run measured on the
   * standalone cluster. Matching the container size reclaims buffers before the kill and, when
   * that is not enough, fails with a message that {@link FailureHints} turns into "raise
   * spark.executor.memoryOverhead". On a standalone cluster, which enforces no overhead, it keeps
   * executors within the size the README's arithmetic plans for.
   */
  static void limitExecutorNativeMemory(SparkConf conf) {
    String options = conf.get("spark.executor.extraJavaOptions", "").strip();
    String defaults = conf.get("spark.executor.defaultJavaOptions", "");
    if (options.contains(MAX_PHYSICAL_BYTES) || defaults.contains(MAX_PHYSICAL_BYTES)) {
      return;
    }
    String limit = "-D" + MAX_PHYSICAL_BYTES + "=0";
    if (!options.contains(SITTER_LIMIT) && !defaults.contains(SITTER_LIMIT)) {
      limit += " " + SITTER_LIMIT + executorContainerMib(conf) + "m";
    }
    conf.set("spark.executor.extraJavaOptions", options.isEmpty() ? limit : options + " " + limit);
  }

  /**
   * The memory a cluster manager grants one executor, in MiB, by Spark's own rule (YARN's
   * {@code Client}/{@code YarnAllocator} and Kubernetes' {@code BasicExecutorFeatureStep}):
   * {@code spark.executor.memory} + {@code spark.executor.memoryOverhead} (default
   * {@code max(384 MiB, spark.executor.memoryOverheadFactor x memory)}, factor 0.10) + the
   * off-heap memory Spark itself uses when {@code spark.memory.offHeap.enabled}
   * + {@code spark.executor.pyspark.memory}.
   */
  static long executorContainerMib(SparkConf conf) {
    long memory = conf.getSizeAsMb("spark.executor.memory", "1g");
    long overhead = conf.contains("spark.executor.memoryOverhead")
        ? conf.getSizeAsMb("spark.executor.memoryOverhead", "384m") : sparkOverheadMib(conf);
    long offHeap = conf.getBoolean("spark.memory.offHeap.enabled", false)
        ? conf.getSizeAsMb("spark.memory.offHeap.size", "0") : 0;
    long pyspark = conf.contains("spark.executor.pyspark.memory") ? conf.getSizeAsMb("spark.executor.pyspark.memory", "0") : 0;
    return memory + overhead + offHeap + pyspark;
  }

  /** Spark's default overhead: max(384 MiB, spark.executor.memoryOverheadFactor x memory), factor 0.10. */
  private static long sparkOverheadMib(SparkConf conf) {
    long memory = conf.getSizeAsMb("spark.executor.memory", "1g");
    return Math.max(384, (long) (conf.getDouble("spark.executor.memoryOverheadFactor", 0.10) * memory));
  }

  private static void appendToList(SparkConf conf, String key, String value) {
    String existing = conf.get(key, "");
    if (!existing.contains(value)) {
      conf.set(key, existing.isEmpty() ? value : existing + "," + value);
    }
  }
}
