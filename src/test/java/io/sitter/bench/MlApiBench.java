package io.sitter.bench;

import io.sitter.TestFiles;
import io.sitter.cli.SparkSessions;
import io.sitter.data.DataReaders;
import io.sitter.data.InputFormat;
import io.sitter.data.InputSpec;
import io.sitter.data.LabeledData;
import io.sitter.ml.SitterClassifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The Spark ML API benchmark behind scripts/bench/ml-api (not a test). Prints one JSON object.
 *
 * <ul>
 *   <li>{@code fits N ROWS FEATURES}: N consecutive fits of SitterClassifier in one SparkSession on
 *       generated blobs, the driver's resident set size (VmRSS) and used heap after each (after a GC),
 *       to show that fits leave nothing behind (broadcasts destroyed, caches unpersisted).
 *   <li>{@code fmnist IDX_DIR EPOCHS}: Fashion-MNIST's official train set through SitterClassifier with the
 *       default configuration ({@code sitter run}'s split: validation 1/9 of the train set, standardized),
 *       test accuracy on the official test set with MulticlassClassificationEvaluator.
 * </ul>
 */
public final class MlApiBench {
  /** -Dpreflight=true runs the babysitter's preflight checks in every fit too (about 4x the time of a small fit here). */
  private static final boolean PREFLIGHT = Boolean.getBoolean("preflight");
  /** Pause after each GC before memory is read: the ContextCleaner and the allocator act asynchronously. */
  private static final long SETTLE_MS = Long.getLong("settle.ms", 2000);
  /**
   * -Dfit.seeds=distinct (the default) gives fit i the seed i, as an application training per customer
   * with a seed each would; fixed gives every fit seed 1, as CrossValidator does (it copies the
   * estimator's seed into every fit). Measured both ways (ml-api-20261207T210416Z.json and
   * ml-api-20261207T210946Z.json): the driver loads the same classes either way (23,877 and 23,878
   * at the twentieth fit), so the seeds do not make Spark generate new code per fit.
   */
  private static final boolean DISTINCT_SEEDS = !"fixed".equals(System.getProperty("fit.seeds", "distinct"));

  private MlApiBench() {}

  public static void main(String[] args) throws Exception {
    SparkConf conf = SparkSessions.sitterConf(new SparkConf().setAppName("ml-api bench"), false)
        .setMaster(System.getProperty("spark.master", "local[2]")).set("spark.ui.enabled", "false");
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    String json = switch (args[0]) {
      case "fits" -> fits(spark, Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      case "fmnist" -> fmnist(spark, Path.of(args[1]), Integer.parseInt(args[2]));
      default -> throw new IllegalArgumentException("mode fits or fmnist, got " + args[0]);
    };
    System.out.println(json);
    spark.stop();
  }

  static long rssKb() throws Exception {
    return rssKb(ProcessHandle.current().pid());
  }

  /** VmRSS of a process in KB, -1 when it has gone. */
  static long rssKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (java.io.IOException gone) {
      return -1;
    }
    return -1;
  }

  /**
   * The JVM's own account of its committed memory per Native Memory Tracking category (Java Heap,
   * Class, Code, Thread, GC, Internal, Other, ...) and in total, in MB, as a JSON object, read with
   * {@code jcmd PID VM.native_memory summary}; "null" unless the process runs with
   * -XX:NativeMemoryTracking=summary (the script's NMT=1). The resident size less that total is what
   * native libraries (ND4J, OpenBLAS, glibc's arenas) hold outside the JVM's accounting: which side
   * grows from fit to fit says whose memory it is.
   */
  static String nativeMemory(long pid) {
    if (!Boolean.getBoolean("nmt")) {
      return "null";
    }
    try {
      Process p = new ProcessBuilder("jcmd", Long.toString(pid), "VM.native_memory", "summary").redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      p.waitFor();
      StringBuilder o = new StringBuilder("{");
      java.util.regex.Matcher total = java.util.regex.Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB").matcher(text);
      if (!total.find()) {
        return "null";
      }
      o.append(String.format(Locale.ROOT, "\"total_committed_mb\": %.1f", Long.parseLong(total.group(1)) / 1024.0));
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^-\\s+(.+?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)").matcher(text);
      while (m.find()) {
        o.append(String.format(Locale.ROOT, ", \"%s\": %.1f", m.group(1).trim(), Long.parseLong(m.group(2)) / 1024.0));
      }
      return o.append("}").toString();
    } catch (java.io.IOException e) {
      return "null";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "null";
    }
  }

  /**
   * This application's executor JVMs on this machine: CoarseGrainedExecutorBackend processes whose
   * command line names its application id (local-cluster and standalone workers fork them alike).
   */
  static List<Long> executorPids(String appId) {
    List<Long> pids = new ArrayList<>();
    ProcessHandle.allProcesses().forEach(p -> {
      try {
        String cmd = Files.readString(Path.of("/proc/" + p.pid() + "/cmdline")).replace('\0', ' ');
        if (cmd.contains("CoarseGrainedExecutorBackend") && cmd.contains(appId)) {
          pids.add(p.pid());
        }
      } catch (java.io.IOException | RuntimeException gone) {
        // exited meanwhile, or not ours to read
      }
    });
    java.util.Collections.sort(pids);
    return pids;
  }

  /**
   * Runs a GC in every executor and reads, per executor JVM, its pid, used heap after that GC and
   * JavaCPP's off-heap accounting (bytes ND4J holds through JavaCPP, and the process's physical bytes
   * as JavaCPP reads them). Many tiny tasks so each single-core executor gets some.
   */
  static final class ProbeExecutor implements org.apache.spark.api.java.function.FlatMapFunction<java.util.Iterator<Integer>, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public java.util.Iterator<String> call(java.util.Iterator<Integer> ignored) throws Exception {
      System.gc();
      Thread.sleep(300);
      Runtime rt = Runtime.getRuntime();
      java.lang.management.ClassLoadingMXBean classes = java.lang.management.ManagementFactory.getClassLoadingMXBean();
      return List.of(String.format(Locale.ROOT, "%d %d %d %d %d %d", ProcessHandle.current().pid(), rt.totalMemory() - rt.freeMemory(),
          org.bytedeco.javacpp.Pointer.totalBytes(), org.bytedeco.javacpp.Pointer.physicalBytes(), classes.getLoadedClassCount(),
          classes.getTotalLoadedClassCount())).iterator();
    }
  }

  /** The block filter, applied on the driver (an executor's RPC thread could not load a class of spark.jars). */
  static final class IsBroadcast extends scala.runtime.AbstractFunction1<org.apache.spark.storage.BlockId, Object>
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(org.apache.spark.storage.BlockId id) {
      return id.isBroadcast();
    }
  }

  /**
   * Distinct broadcast variables with a block the driver's BlockManagerMaster knows of: the driver's
   * own and the pieces executors store for others to fetch (reported to the master).
   */
  static int liveBroadcasts(SparkSession spark) {
    scala.collection.Iterator<org.apache.spark.storage.BlockId> ids = org.apache.spark.SparkEnv.get().blockManager().master()
        .getMatchingBlockIds(new IsBroadcast(), false).iterator();
    java.util.Set<Long> distinct = new java.util.TreeSet<>();
    while (ids.hasNext()) {
      distinct.add(((org.apache.spark.storage.BroadcastBlockId) ids.next()).broadcastId());
    }
    return distinct.size();
  }

  private static String fits(SparkSession spark, int n, int rows, int features) throws Exception {
    StructType schema = new StructType().add("features", SQLDataTypes.VectorType()).add("label", DataTypes.DoubleType);
    Random r = new Random(1);
    List<Row> data = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      int label = i % 4;
      double[] x = new double[features];
      for (int j = 0; j < features; j++) {
        x[j] = label * ((j % 3) - 1) + r.nextGaussian();
      }
      data.add(RowFactory.create(Vectors.dense(x), (double) label));
    }
    Dataset<Row> frame = spark.createDataFrame(data, schema);
    org.apache.spark.api.java.JavaSparkContext jsc = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
    String master = spark.sparkContext().master();
    StringBuilder out = new StringBuilder("{\"mode\": \"fits\", \"master\": \"" + master + "\", \"rows\": " + rows
        + ", \"features\": " + features + ", \"seeds\": \"" + (DISTINCT_SEEDS ? "distinct" : "fixed") + "\", \"jvm_opts\": \"" + System.getProperty("jvm.opts", "")
        + "\", \"preflight\": " + PREFLIGHT + ", \"settle_ms\": " + SETTLE_MS
        + ", \"MALLOC_ARENA_MAX\": \"" + System.getenv().getOrDefault("MALLOC_ARENA_MAX", "") + "\", \"spark.ui.retainedJobs\": \""
        + spark.conf().get("spark.ui.retainedJobs", "1000 (default)") + "\", \"fits\": [");
    List<double[]> driverRss = new ArrayList<>();
    java.util.Map<Long, List<Double>> executorRss = new java.util.TreeMap<>();
    for (int f = 1; f <= n; f++) {
      long t0 = System.nanoTime();
      SitterClassifier c = new SitterClassifier().setHiddenLayers(new int[] {64, 64}).setEpochs(2).setMinibatchSize(64)
          .setSeed(DISTINCT_SEEDS ? f : 1).setNumPartitions(2).setPreflightChecks(PREFLIGHT);
      double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(c.fit(frame).transform(frame));
      double seconds = (System.nanoTime() - t0) / 1e9;
      // GC on the driver (ContextCleaner then removes what only weak references held: shuffles, task
      // binaries' broadcasts) and on the executors, then a settle so the cleaner and the allocator return memory.
      List<String> probes = jsc.parallelize(java.util.stream.IntStream.range(0, 16).boxed().toList(), 16)
          .mapPartitions(new ProbeExecutor()).collect();
      System.gc();
      Thread.sleep(SETTLE_MS);
      System.gc();
      Thread.sleep(SETTLE_MS);
      java.lang.management.MemoryUsage heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
      java.lang.management.ClassLoadingMXBean classes = java.lang.management.ManagementFactory.getClassLoadingMXBean();
      long rss = rssKb();
      long storageUsed = 0;
      for (org.apache.spark.SparkExecutorInfo e : spark.sparkContext().statusTracker().getExecutorInfos()) {
        storageUsed += e.usedOnHeapStorageMemory() + e.usedOffHeapStorageMemory();
      }
      int broadcasts = liveBroadcasts(spark);
      StringBuilder executors = new StringBuilder("[");
      java.util.Map<Long, String> probeByPid = new java.util.TreeMap<>();
      for (String p : probes) {
        probeByPid.put(Long.parseLong(p.split(" ")[0]), p);
      }
      for (long pid : executorPids(spark.sparkContext().applicationId())) {
        long erss = rssKb(pid);
        executorRss.computeIfAbsent(pid, k -> new ArrayList<>()).add(erss / 1024.0);
        String[] probe = probeByPid.getOrDefault(pid, pid + " -1 -1 -1 -1 -1").split(" ");
        executors.append(executors.length() > 1 ? ", " : "").append(String.format(Locale.ROOT,
            "{\"pid\": %d, \"rss_mb\": %.1f, \"heap_used_mb\": %.1f, \"javacpp_total_mb\": %.1f, \"javacpp_physical_mb\": %.1f,"
                + " \"classes_loaded\": %s, \"classes_loaded_ever\": %s, \"nmt\": %s}",
            pid, erss / 1024.0, mb(probe[1]), mb(probe[2]), mb(probe[3]), probe[4], probe[5], nativeMemory(pid)));
      }
      executors.append("]");
      driverRss.add(new double[] {rss / 1024.0});
      out.append(f == 1 ? "" : ", ").append(String.format(Locale.ROOT,
          "{\"fit\": %d, \"seconds\": %.2f, \"accuracy\": %.4f, \"driver_rss_mb\": %.1f, \"driver_heap_used_mb\": %.1f,"
              + " \"driver_javacpp_total_mb\": %.1f, \"driver_javacpp_physical_mb\": %.1f, \"storage_memory_used_mb\": %.2f,"
              + " \"cached_rdds\": %d, \"live_broadcasts\": %d, \"driver_classes_loaded\": %d, \"driver_classes_loaded_ever\": %d,"
              + " \"driver_nmt\": %s, \"executors\": %s}",
          f, seconds, accuracy, rss / 1024.0, heap.getUsed() / 1048576.0, org.bytedeco.javacpp.Pointer.totalBytes() / 1048576.0,
          org.bytedeco.javacpp.Pointer.physicalBytes() / 1048576.0, storageUsed / 1048576.0,
          spark.sparkContext().getPersistentRDDs().size(), broadcasts, classes.getLoadedClassCount(),
          classes.getTotalLoadedClassCount(), nativeMemory(ProcessHandle.current().pid()), executors));
      System.err.printf(Locale.ROOT, "fit %d: %.1f s, accuracy %.3f, driver rss %.0f MB, heap %.0f MB, classes %d, broadcasts %d, executors %s%n", f,
          seconds, accuracy, rss / 1024.0, heap.getUsed() / 1048576.0, classes.getLoadedClassCount(), broadcasts, executors);
    }
    out.append("], \"max_deviation_from_third_fit\": {\"driver_rss\": ").append(deviation(driverRss.stream().map(d -> d[0]).toList()));
    for (var e : executorRss.entrySet()) {
      out.append(", \"executor_").append(e.getKey()).append("_rss\": ").append(deviation(e.getValue()));
    }
    return out.append("}}").toString();
  }

  private static double mb(String bytes) {
    long b = Long.parseLong(bytes);
    return b < 0 ? -1 : b / 1048576.0;
  }

  /** Largest |x_i - x_3| / x_3 over fits 3..n, as a JSON number (null with fewer than 3 fits). */
  static String deviation(List<Double> values) {
    if (values.size() < 3) {
      return "null";
    }
    double third = values.get(2);
    double max = 0;
    for (int i = 2; i < values.size(); i++) {
      max = Math.max(max, Math.abs(values.get(i) - third) / third);
    }
    return String.format(Locale.ROOT, "%.4f", max);
  }

  private static String fmnist(SparkSession spark, Path idxDir, int epochs) {
    LabeledData train = DataReaders.read(spark, new InputSpec(TestFiles.hadoop(idxDir), null, InputFormat.IDX, "last"), null);
    Dataset<Row> frame = train.rows().select(
        org.apache.spark.ml.functions.array_to_vector(org.apache.spark.sql.functions.col("features")).as("features"),
        org.apache.spark.sql.functions.col("label").cast(DataTypes.DoubleType).as("label"));
    Dataset<Row> test = train.predefinedTest().select(
        org.apache.spark.ml.functions.array_to_vector(org.apache.spark.sql.functions.col("features")).as("features"),
        org.apache.spark.sql.functions.col("label").cast(DataTypes.DoubleType).as("label"));
    long t0 = System.nanoTime();
    // sitter run's split of an IDX directory: train:val 0.8:0.1 of the official train set, seed 42.
    var model = new SitterClassifier().setEpochs(epochs).setValidationFraction(0.1 / 0.9).setSeed(42).fit(frame);
    double seconds = (System.nanoTime() - t0) / 1e9;
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(model.transform(test));
    return String.format(Locale.ROOT, "{\"mode\": \"fmnist\", \"epochs\": %d, \"fit_seconds\": %.1f, \"test_accuracy\": %.4f}", epochs, seconds, accuracy);
  }
}
