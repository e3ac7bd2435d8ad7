package io.sitter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sitter.storage.RunDirectory;
import io.sitter.storage.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.BufferedReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.util.ModelSerializer;

/**
 * sitter and the cluster scripts as separate processes, the way users run them: the launcher
 * ({@code scripts/sitter}) in the project directory failsafe names as {@code sitter.basedir}, its
 * output in files under a working directory, and the run directory read back through sitter's own
 * storage layer, so a run on HDFS is read exactly like a local one.
 */
final class SitterProcesses {
  private SitterProcesses() {}

  static Path base() {
    return Path.of(System.getProperty("sitter.basedir", ".")).toAbsolutePath();
  }

  /** JVM flags for processes the tests start (failsafe's sitter.it.child.jvm), empty when not set. */
  static String childJvmFlags() {
    return System.getProperty("sitter.it.child.jvm", "").strip();
  }

  record Result(int code, String out, String err) {}

  /** A started process and the files its output goes to. */
  record Launched(Process process, Path out, Path err) {}

  /** {@code scripts/sitter --master MASTER ...} with Kryo registration required, as the tests run it. */
  static List<String> launcher(String master, String... args) {
    List<String> c = new ArrayList<>(List.of(base().resolve("scripts/sitter").toString(), "--master", master,
        "--conf", "spark.kryo.registrationRequired=true"));
    // The JVM flags failsafe gives the tests' child processes (C1 only, see it.child.jvm in the
    // pom), for the JVMs the cluster managers start too: executors, YARN's application master, and
    // the driver in YARN cluster mode. The launcher's own JVM gets them from SITTER_JAVA_OPTS.
    String jvm = childJvmFlags();
    if (!jvm.isEmpty()) {
      c.addAll(List.of("--conf", "spark.executor.defaultJavaOptions=" + jvm, "--conf", "spark.driver.defaultJavaOptions=" + jvm,
          "--conf", "spark.yarn.am.extraJavaOptions=" + jvm));
    }
    c.addAll(List.of(args));
    return c;
  }

  static Launched start(Path workDir, List<String> command, Map<String, String> env) throws IOException {
    String name = "p" + System.nanoTime();
    Path out = workDir.resolve(name + ".out");
    Path err = workDir.resolve(name + ".err");
    ProcessBuilder b = new ProcessBuilder(command).directory(workDir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
    b.environment().putAll(env);
    Process p = b.start();
    p.getOutputStream().close();
    return new Launched(p, out, err);
  }

  static Result run(Path workDir, List<String> command, Map<String, String> env) throws Exception {
    return finish(start(workDir, command, env));
  }

  /** Waits for the process; a bound so a hung job cannot hang the build, not a speed target. */
  static Result finish(Launched l) throws Exception {
    if (!l.process().waitFor(12, TimeUnit.MINUTES)) {
      l.process().destroyForcibly();
      throw new AssertionError("a process did not finish within 12 minutes");
    }
    return new Result(l.process().exitValue(), Files.readString(l.out(), StandardCharsets.UTF_8),
        Files.readString(l.err(), StandardCharsets.UTF_8));
  }

  static void assertSucceeded(Result r) {
    assertEquals(0, r.code(), "exit code\n" + r.out() + "\n" + r.err());
  }

  interface Condition {
    boolean holds() throws IOException;
  }

  static void waitFor(Condition c, Process p, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
    while (!c.holds()) {
      if (!p.isAlive()) {
        throw new AssertionError("the run ended before " + what + " (exit " + p.exitValue() + ")");
      }
      if (System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new AssertionError("no " + what + " within 8 minutes");
      }
      Thread.sleep(300);
    }
  }

  /** A run directory (local path or Hadoop URI) read as sitter reads it. */
  static RunDirectory runDirectory(String uriOrPath, Configuration conf) {
    Storage storage = Storage.of(conf);
    return RunDirectory.at(storage, storage.resolve("--out", uriOrPath));
  }

  /** The trained model's parameters, from model.zip. */
  static float[] params(RunDirectory run) {
    return run.readModel(in -> ModelSerializer.restoreMultiLayerNetwork(in, false)).params().data().asFloat();
  }

  /** Committed rounds in metrics.jsonl (or its segments while the run is going). */
  static long rounds(RunDirectory run) throws IOException {
    if (!run.hasMetrics()) {
      return 0;
    }
    try (InputStream in = run.metricsLines();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      return r.lines().filter(l -> !l.isBlank()).count();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
