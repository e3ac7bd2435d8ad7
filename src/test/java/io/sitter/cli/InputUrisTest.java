package io.sitter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.TestFiles;
import io.sitter.TestSpark;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every input flag ({@code --input}, {@code --labels}, {@code --config}, {@code --space}) takes
 * URIs through {@code Storage}: {@code file://} reads what the plain path reads; an unknown scheme,
 * a missing file and an unreachable namenode are exit 2 naming the flag or the URI.
 */
class InputUrisTest {
  @TempDir Path dir;

  @BeforeAll
  static void session() {
    TestSpark.session();
  }

  private static PrepCommandsTest.Run run(String... args) {
    return PrepCommandsTest.run(args);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void statsOfAFileUriEqualsStatsOfThePlainPath() {
    Path csv = TestFiles.write(dir.resolve("wine.csv"), TestFiles.blobsCsv(40, 3, 2, 9, true));
    PrepCommandsTest.Run plain = run("stats", "--input", csv.toString());
    PrepCommandsTest.Run uri = run("stats", "--input", "file://" + csv);
    assertEquals(0, plain.code(), plain.err());
    assertEquals(0, uri.code(), uri.err());
    assertEquals(plain.out(), uri.out());
  }

  @Test
  void anUnknownSchemeIsExit2NamingTheFlag() {
    Path csv = TestFiles.write(dir.resolve("x.csv"), List.of("1,2,0"));
    PrepCommandsTest.Run input = run("stats", "--input", "nosuchfs://host/x.csv");
    assertEquals(2, input.code(), input.err());
    assertTrue(input.err().contains("--input: unknown file system scheme 'nosuchfs'"), input.err());
    PrepCommandsTest.Run labels = run("stats", "--input", csv.toString(), "--labels", "nosuchfs://host/l");
    assertEquals(2, labels.code(), labels.err());
    assertTrue(labels.err().contains("--labels: unknown file system scheme 'nosuchfs'"), labels.err());
    PrepCommandsTest.Run config = run("train", "--data", dir.toString(), "--out", dir.resolve("run").toString(), "--config", "nosuchfs://host/c.yaml");
    assertEquals(2, config.code(), config.err());
    assertTrue(config.err().contains("--config: unknown file system scheme 'nosuchfs'"), config.err());
    PrepCommandsTest.Run space = run("search", "--data", dir.toString(), "--out", dir.resolve("s").toString(), "--trials", "2", "--space", "nosuchfs://host/s.yaml");
    assertEquals(2, space.code(), space.err());
    assertTrue(space.err().contains("--space: unknown file system scheme 'nosuchfs'"), space.err());
  }

  @Test
  void missingFilesAreExit2NamingThem() {
    Path missing = dir.resolve("none.yaml");
    PrepCommandsTest.Run config = run("train", "--data", dir.toString(), "--out", dir.resolve("run").toString(), "--config", "file://" + missing);
    assertEquals(2, config.code(), config.err());
    assertTrue(config.err().contains("config file not found: " + missing), config.err());
    PrepCommandsTest.Run space = run("search", "--data", dir.toString(), "--out", dir.resolve("s").toString(), "--trials", "2", "--space", "file://" + missing);
    assertEquals(2, space.code(), space.err());
    assertTrue(space.err().contains("search space file not found: " + missing), space.err());
    PrepCommandsTest.Run input = run("stats", "--input", "file://" + dir.resolve("wine.csv"));
    assertEquals(2, input.code(), input.err());
    assertTrue(input.err().contains("input " + dir.resolve("wine.csv") + " does not exist"), input.err());
  }

  /** Nothing listens on the port: exit 2 within 30 seconds naming the URI, for data and for config. */
  @Test
  void anUnreachableNamenodeIsExit2Within30Seconds() throws IOException {
    String nn = "hdfs://127.0.0.1:" + freePort();
    long start = System.nanoTime();
    PrepCommandsTest.Run stats = run("stats", "--input", nn + "/data/wine.csv");
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("sitter stats on an unreachable namenode: exit %d after %.1f s: %s", stats.code(), seconds, stats.err());
    assertEquals(2, stats.code(), stats.err());
    assertTrue(seconds < 30, "took " + seconds + " s");
    assertTrue(stats.err().contains("input " + nn + "/data/wine.csv: cannot reach its file system"), stats.err());

    start = System.nanoTime();
    PrepCommandsTest.Run config = run("train", "--data", dir.toString(), "--out", dir.resolve("run").toString(), "--config", nn + "/c.yaml");
    seconds = (System.nanoTime() - start) / 1e9;
    assertEquals(2, config.code(), config.err());
    assertTrue(seconds < 30, "took " + seconds + " s");
    assertTrue(config.err().contains("config file " + nn + "/c.yaml: cannot reach its file system"), config.err());
  }

  /**
   * A namenode that does not answer: a listening socket whose accept queue is full drops new
   * connection requests (Linux), as a firewall or a hung host does. Hadoop's defaults would wait
   * 45 x 20 s; sitter's settings give up within 30 s.
   */
  @Test
  void aNamenodeThatDoesNotAnswerIsExit2Within30Seconds() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      List<Socket> queued = new ArrayList<>();
      boolean full = false;
      try {
        for (int i = 0; i < 16 && !full; i++) {
          Socket s = new Socket();
          try {
            s.connect(new InetSocketAddress("127.0.0.1", silent.getLocalPort()), 500);
            queued.add(s);
          } catch (SocketTimeoutException e) {
            s.close();
            full = true;
          }
        }
        assertTrue(full, "the accept queue never filled, so connects are not dropped here");
        String uri = "hdfs://127.0.0.1:" + silent.getLocalPort() + "/data/wine.csv";
        long start = System.nanoTime();
        PrepCommandsTest.Run stats = run("stats", "--input", uri);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("sitter stats on a namenode that does not answer: exit %d after %.1f s: %s", stats.code(), seconds, stats.err());
        assertEquals(2, stats.code(), stats.err());
        assertTrue(seconds < 30, "took " + seconds + " s");
        assertTrue(stats.err().contains("input " + uri + ": cannot reach its file system at 127.0.0.1:" + silent.getLocalPort() + " (connection timed out)"), stats.err());
      } finally {
        for (Socket s : queued) {
          s.close();
        }
      }
    }
  }
}
