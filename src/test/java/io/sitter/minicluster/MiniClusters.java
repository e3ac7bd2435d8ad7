package io.sitter.minicluster;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;

/**
 * An HDFS (one namenode, two datanodes) and optionally a YARN (one resource manager, N node
 * managers) in this JVM, bound to 127.0.0.1, with all state under one directory. Used in-process
 * by the HDFS tests and, through {@link #main}, by {@code scripts/cluster yarn start}, which the
 * YARN test and users run: the same clusters either way.
 *
 * <p>For clients it writes {@code conf/}: {@code core-site.xml}, {@code hdfs-site.xml} and {@code
 * yarn-site.xml} (what {@code HADOOP_CONF_DIR} points at on a real cluster's gateway host), and
 * {@code spark-defaults.conf} (read by SparkSubmit from {@code SPARK_CONF_DIR}) with what this
 * cluster needs of Spark: Spark's jars taken from a local directory on every node (they are the
 * same machine) and everything bound to 127.0.0.1.
 */
public final class MiniClusters implements AutoCloseable {
  private final MiniDFSCluster dfs;
  private final MiniYARNCluster yarn;
  private final Path confDir;

  private MiniClusters(MiniDFSCluster dfs, MiniYARNCluster yarn, Path confDir) {
    this.dfs = dfs;
    this.yarn = yarn;
    this.confDir = confDir;
  }

  /** HDFS only, namenode on a free port: what the HDFS tests share per class. */
  public static MiniClusters hdfs(Path dir) throws IOException {
    return new MiniClusters(startDfs(dir, 0), null, null);
  }

  /**
   * HDFS on {@code hdfsPort} (0: any free port) and YARN with {@code nodeManagers} node managers;
   * {@code sparkJars} is a directory holding Spark's jars (and their dependencies), which every
   * container's classpath gets through {@code spark.yarn.jars=local:DIR/*}.
   */
  public static MiniClusters hdfsAndYarn(Path dir, int hdfsPort, int nodeManagers, Path sparkJars) throws Exception {
    MiniDFSCluster dfs = startDfs(dir, hdfsPort);
    MiniYARNCluster yarn;
    try {
      yarn = startYarn(dfs.getConfiguration(0), nodeManagers);
    } catch (Exception e) {
      dfs.shutdown();
      throw e;
    }
    MiniClusters c = new MiniClusters(dfs, yarn, dir.resolve("conf"));
    c.writeClientConf(sparkJars);
    return c;
  }

  private static MiniDFSCluster startDfs(Path dir, int port) throws IOException {
    Configuration conf = new Configuration();
    // Replication 2 on the two datanodes: every block has a copy on each, as a small real cluster would.
    conf.setInt("dfs.replication", 2);
    // The namenode and datanodes already bind to 127.0.0.1 in MiniDFSCluster; its web UIs too with this.
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    MiniDFSCluster dfs = new MiniDFSCluster.Builder(conf, dir.resolve("hdfs").toFile())
        .numDataNodes(2)
        .nameNodePort(port)
        .format(true)
        .build();
    dfs.waitActive();
    return dfs;
  }

  private static MiniYARNCluster startYarn(Configuration base, int nodeManagers) throws Exception {
    YarnConfiguration conf = new YarnConfiguration(base);
    // A node manager whose disk is fuller than 90% (the default) is marked unhealthy and gets no
    // containers; small CI and laptop disks often are.
    conf.set("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "100.0");
    // The minicluster jar has no capacity-scheduler.xml, so the scheduler would have no queue to submit to.
    conf.set("yarn.scheduler.capacity.root.queues", "default");
    conf.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
    conf.setFloat("yarn.scheduler.capacity.root.default.user-limit-factor", 1);
    conf.setInt("yarn.scheduler.capacity.root.default.maximum-capacity", 100);
    conf.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
    conf.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
    conf.set("yarn.scheduler.capacity.root.default.acl_administer_queue", "*");
    conf.setInt("yarn.scheduler.capacity.node-locality-delay", -1);
    conf.set(YarnConfiguration.RM_HOSTNAME, "127.0.0.1");
    // The virtual-memory check kills any JVM (its address space is many times its resident size;
    // most distributions turn it off). The physical-memory check stays on: it is what kills an
    // executor whose spark.executor.memoryOverhead is too small, and sitter sets that default.
    conf.setBoolean("yarn.nodemanager.vmem-check-enabled", false);
    conf.setBoolean("yarn.nodemanager.pmem-check-enabled", true);
    // Each node: room for two 1-core executors of sitter's default size (1g heap + 1536m overhead,
    // rounded up to 3072 MB) or an application master running the driver, not more; this machine
    // is small and shared.
    conf.setInt("yarn.nodemanager.resource.memory-mb", 6144);
    conf.setInt("yarn.nodemanager.resource.cpu-vcores", 2);
    conf.setInt("yarn.scheduler.maximum-allocation-mb", 6144);
    // Containers find Java through JAVA_HOME (Spark's launch command is {{JAVA_HOME}}/bin/java);
    // a real cluster's node managers set it for them, here it is this JVM's own Java.
    conf.set("yarn.nodemanager.admin-env", "MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX,JAVA_HOME=" + System.getProperty("java.home"));
    // Keep finished containers' logs a while so a failed test can be read.
    conf.setInt("yarn.nodemanager.delete.debug-delay-sec", 600);
    MiniYARNCluster yarn = new MiniYARNCluster("sitter", nodeManagers, 1, 1);
    yarn.init(conf);
    yarn.start();
    // start() can return before the resource manager has written its real port into the
    // configuration (it still says :0); clients given that configuration could not connect.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (yarn.getConfig().get(YarnConfiguration.RM_ADDRESS, ":0").endsWith(":0")) {
      if (System.nanoTime() > deadline) {
        yarn.stop();
        throw new IllegalStateException("the YARN resource manager did not report its port within 30 s");
      }
      Thread.sleep(100);
    }
    if (!yarn.waitForNodeManagersToConnect(30_000)) {
      yarn.stop();
      throw new IllegalStateException("the YARN node managers did not register within 30 s");
    }
    return yarn;
  }

  /**
   * {@code hdfs://127.0.0.1:PORT}, the namenode. (MiniDFSCluster's own URI says localhost, which
   * is the same address here; the numeric form keeps every URI printed and tested alike.)
   */
  public URI hdfsUri() {
    return URI.create("hdfs://127.0.0.1:" + dfs.getNameNodePort());
  }

  /** {@code hdfsUri()} + an absolute path, as a string for command lines. */
  public String hdfs(String absolutePath) {
    return hdfsUri().toString() + absolutePath;
  }

  public Configuration configuration() {
    return yarn != null ? yarn.getConfig() : dfs.getConfiguration(0);
  }

  public FileSystem fileSystem() throws IOException {
    return dfs.getFileSystem();
  }

  /** The client configuration directory (HADOOP_CONF_DIR and SPARK_CONF_DIR), or null for HDFS only. */
  public Path confDir() {
    return confDir;
  }

  public String resourceManagerAddress() {
    return yarn.getConfig().get(YarnConfiguration.RM_ADDRESS);
  }

  private void writeClientConf(Path sparkJars) throws IOException {
    Files.createDirectories(confDir);
    // What a client needs, as a real cluster's gateway host has it: the namenode and the resource
    // manager's addresses. Not the servers' whole configuration: MiniDFSCluster's includes test-only
    // classes (net.topology.node.switch.mapping.impl = StaticMapping) that clients cannot load.
    Configuration core = new Configuration(false);
    core.set("fs.defaultFS", hdfsUri().toString());
    Configuration hdfs = new Configuration(false);
    hdfs.setInt("dfs.replication", 2);
    Configuration yarnSite = new Configuration(false);
    for (Map.Entry<String, String> e : yarn.getConfig()) {
      if (e.getKey().startsWith("yarn.resourcemanager.") && e.getKey().endsWith("address")) {
        yarnSite.set(e.getKey(), yarn.getConfig().get(e.getKey()));
      }
    }
    yarnSite.set(YarnConfiguration.RM_HOSTNAME, "127.0.0.1");
    for (Map.Entry<String, Configuration> f : Map.of("core-site.xml", core, "hdfs-site.xml", hdfs, "yarn-site.xml", yarnSite).entrySet()) {
      try (OutputStream out = Files.newOutputStream(confDir.resolve(f.getKey()))) {
        f.getValue().writeXml(out);
      }
    }
    List<String> spark = new ArrayList<>();
    spark.add("# Written by io.sitter.minicluster.MiniClusters for its mini YARN + HDFS.");
    // Every node manager runs on this machine, so containers take Spark's jars from where they
    // are instead of uploading some 400 MB to HDFS for each application (on a real cluster:
    // spark.yarn.archive or spark.yarn.jars on HDFS, or the nodes' own Spark installation).
    spark.add("spark.yarn.jars=local:" + sparkJars.toAbsolutePath() + "/*");
    // This machine's hostname resolves to loopback; without these Spark picks another interface.
    for (String role : List.of("spark.executorEnv.", "spark.yarn.appMasterEnv.")) {
      spark.add(role + "SPARK_LOCAL_IP=127.0.0.1");
    }
    Files.write(confDir.resolve("spark-defaults.conf"), spark, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    try {
      if (yarn != null) {
        yarn.stop();
      }
    } finally {
      dfs.shutdown(true);
    }
  }

  /**
   * {@code scripts/cluster yarn start}: HDFS and YARN until this process is ended; {@code
   * <dir>/cluster.properties} appears once both are ready (the script waits for it).
   *
   * <p>Arguments: {@code DIR HDFS_PORT NODE_MANAGERS SPARK_JARS_DIR}.
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: MiniClusters DIR HDFS_PORT NODE_MANAGERS SPARK_JARS_DIR");
      System.exit(2);
    }
    Path dir = Path.of(args[0]).toAbsolutePath();
    Files.createDirectories(dir);
    MiniClusters c;
    try {
      c = hdfsAndYarn(dir, Integer.parseInt(args[1]), Integer.parseInt(args[2]), Path.of(args[3]));
    } catch (Exception | Error e) {
      // The clusters' own non-daemon threads would otherwise keep a failed start alive.
      e.printStackTrace();
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      c.close();
      stopped.countDown();
    }));
    c.fileSystem().mkdirs(new org.apache.hadoop.fs.Path("/user/" + System.getProperty("user.name")));
    Map<String, String> ready = Map.of("hdfs.uri", c.hdfsUri().toString(), "yarn.resourcemanager.address", c.resourceManagerAddress(),
        "conf.dir", c.confDir().toString());
    List<String> lines = new ArrayList<>();
    ready.forEach((k, v) -> lines.add(k + "=" + v));
    Path tmp = dir.resolve("cluster.properties.tmp");
    Files.write(tmp, lines, StandardCharsets.UTF_8);
    Files.move(tmp, dir.resolve("cluster.properties"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    System.out.println("mini HDFS " + c.hdfsUri() + " and YARN " + c.resourceManagerAddress() + " ready");
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
