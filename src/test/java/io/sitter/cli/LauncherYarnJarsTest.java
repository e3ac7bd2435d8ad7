package io.sitter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/sitter --master yarn} without a Spark distribution: unless the user's settings say
 * where Spark's jars are ({@code spark.yarn.jars} or {@code spark.yarn.archive}, by {@code --conf} or
 * in {@code SPARK_CONF_DIR/spark-defaults.conf}), it uploads its own Spark classpath as {@code
 * spark.yarn.jars}. YarnIT always submits with the mini cluster's spark-defaults.conf, which names
 * the jars, so this fallback is checked here instead: the script runs from a copy whose {@code
 * java} only prints its arguments (no JVM, no cluster; about a second), since a real submission
 * that uploads the whole classpath to HDFS would cost minutes.
 */
class LauncherYarnJarsTest {
  private static final String CLASSPATH = "/spark/a.jar:/spark/b.jar";

  @TempDir Path home;
  Path bin;
  Path conf;

  @BeforeEach
  void copyOfTheLauncherWithAnEchoingJava() throws IOException {
    Path base = SitterProcesses.base();
    Files.createDirectories(home.resolve("scripts/lib"));
    for (String f : List.of("scripts/sitter", "scripts/lib/spark-classpath.sh", "scripts/lib/spark-line.sh", "scripts/lib/maven.sh")) {
      Files.copy(base.resolve(f), home.resolve(f));
    }
    executable(home.resolve("scripts/sitter"));
    Files.writeString(home.resolve("pom.xml"), "<project><properties><jvm17.opens>--add-opens=java.base/java.lang=ALL-UNNAMED</jvm17.opens></properties></project>\n");
    // Newer than pom.xml: the script takes it as resolved and runs no Maven.
    Path cp = Files.writeString(Files.createDirectories(home.resolve("target")).resolve("spark-classpath.txt"), CLASSPATH);
    cp.toFile().setLastModified(System.currentTimeMillis() + 60_000);
    Files.writeString(home.resolve("target/sitter-0.1.0-SNAPSHOT-spark4.jar"), ""); // the default line's cluster jar
    bin = Files.createDirectories(home.resolve("bin"));
    executable(Files.writeString(bin.resolve("java"), "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n"));
    conf = Files.createDirectories(home.resolve("conf"));
  }

  @Test
  void withoutSparkJarsSettingsTheLauncherUploadsItsOwnClasspath() throws Exception {
    List<String> args = launch(Map.of(), "--master", "yarn", "stats", "--input", "hdfs:///x.csv");
    assertEquals(List.of("spark.yarn.jars=/spark/a.jar,/spark/b.jar"), yarnJars(args), String.join(" ", args));
  }

  @Test
  void sparkDefaultsNamingTheJarsAreLeftToSpark() throws Exception {
    Files.writeString(conf.resolve("spark-defaults.conf"), "spark.yarn.jars  local:/opt/spark/jars/*\n");
    List<String> args = launch(Map.of("SPARK_CONF_DIR", conf.toString()), "--master", "yarn", "stats", "--input", "hdfs:///x.csv");
    assertEquals(List.of(), yarnJars(args), String.join(" ", args));
  }

  @Test
  void theUsersConfWins() throws Exception {
    List<String> args = launch(Map.of(), "--master", "yarn", "--conf", "spark.yarn.archive=hdfs:///spark.zip", "stats", "--input", "hdfs:///x.csv");
    assertEquals(List.of("spark.yarn.archive=hdfs:///spark.zip"), yarnJars(args), String.join(" ", args));
  }

  @Test
  void localModeUploadsNothing() throws Exception {
    List<String> args = launch(Map.of(), "--master", "local[2]", "stats", "--input", "x.csv");
    assertEquals(List.of(), yarnJars(args), String.join(" ", args));
  }

  /** The values of the {@code --conf spark.yarn.jars=} and {@code spark.yarn.archive=} SparkSubmit got. */
  private static List<String> yarnJars(List<String> args) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i + 1 < args.size(); i++) {
      if (args.get(i).equals("--conf") && args.get(i + 1).matches("spark\\.yarn\\.(jars|archive)=.*")) {
        out.add(args.get(i + 1));
      }
    }
    return out;
  }

  private List<String> launch(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(home.resolve("scripts/sitter").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> e = pb.environment();
    e.keySet().removeIf(k -> k.startsWith("SITTER_") || k.startsWith("SPARK_") || k.startsWith("HADOOP_") || k.startsWith("YARN_"));
    e.put("PATH", bin + ":" + e.getOrDefault("PATH", "/usr/bin:/bin"));
    e.put("HADOOP_CONF_DIR", conf.toString());
    e.putAll(new HashMap<>(env));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the launcher finished");
    assertEquals(0, p.exitValue(), out);
    List<String> lines = out.lines().toList();
    assertTrue(lines.contains("org.apache.spark.deploy.SparkSubmit"), out);
    return lines;
  }

  private static Path executable(Path f) throws IOException {
    return Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
