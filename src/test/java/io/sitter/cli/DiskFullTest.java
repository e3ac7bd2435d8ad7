package io.sitter.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.TestFiles;
import io.sitter.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up while sitter writes: a size-limited tmpfs mounted by the test (so it runs
 * as root, as CI does; skipped with a message otherwise). The command exits non-zero saying "no
 * space left" and naming the path, removes its temporary files, and leaves earlier outputs as they
 * were.
 */
class DiskFullTest {
  @TempDir Path dir;
  private Path disk;

  @BeforeEach
  void mount() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to mount a size-limited tmpfs (CI runs as root)");
    TestSpark.session();
    disk = Files.createDirectories(dir.resolve("disk"));
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", disk.toString()).inheritIO().start();
    Assumptions.assumeTrue(p.waitFor() == 0, "mount -t tmpfs failed (no CAP_SYS_ADMIN in this container?)");
  }

  @AfterEach
  void unmount() throws Exception {
    if (disk != null) {
      // Lazily: a failed Spark write may still hold a file open on it until its stream is collected.
      new ProcessBuilder("umount", "-l", disk.toString()).inheritIO().start().waitFor();
    }
  }

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  private static Map<String, byte[]> snapshot(Path root) throws Exception {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return files;
  }

  @Test
  void prepAndStatsOnAFullDiskSayNoSpaceLeftAndLeaveEarlierOutputs() throws Exception {
    Path small = TestFiles.write(dir.resolve("small.csv"), TestFiles.blobsCsv(60, 3, 2, 1, false));
    CliRun first = run("prep", "--input", small.toString(), "--out", disk.resolve("first").toString());
    assertEquals(0, first.code(), first.err());
    Map<String, byte[]> before = snapshot(disk);
    // A single file (stats --out) on a full disk: no partial file, no temporary one.
    try (var filler = Files.newOutputStream(disk.resolve("filler"))) {
      byte[] block = new byte[4096];
      for (int i = 0; i < 1024; i++) { // fill the disk to its last byte
        filler.write(block);
      }
    } catch (java.io.IOException diskFull) {
      // no space left: what the next command meets
    }
    Path big = TestFiles.write(dir.resolve("big.csv"), TestFiles.blobsCsv(6000, 100, 2, 2, false));
    Path json = disk.resolve("stats.json");
    CliRun stats = run("stats", "--input", big.toString(), "--out", json.toString());
    assertNotEquals(0, stats.code(), stats.out() + stats.err());
    assertTrue(stats.err().toLowerCase(Locale.ROOT).contains("no space left") && stats.err().contains(json.toString()), stats.err());
    assertFalse(Files.exists(json));
    try (Stream<Path> names = Files.list(disk)) {
      assertEquals(List.of("filler", "first"), names.map(p -> p.getFileName().toString()).sorted().toList());
    }
    Files.delete(disk.resolve("filler"));

    // A prep output larger than the disk (a failed Spark write may hold the space of its deleted
    // files until its streams are collected, so this comes last).
    // 6000 rows of 100 features: about 2.4 MB of floats, more than the 1 MB disk holds.
    Path out = disk.resolve("second");
    CliRun full = run("prep", "--input", big.toString(), "--out", out.toString());
    assertNotEquals(0, full.code(), full.out() + full.err());
    assertTrue(full.err().toLowerCase(Locale.ROOT).contains("no space left"), full.err());
    assertTrue(full.err().contains(out.toString()), "names the path: " + full.err());
    assertFalse(full.err().contains("\tat "), "no stack trace: " + full.err());
    assertFalse(Files.exists(out));
    try (Stream<Path> names = Files.list(disk)) {
      assertEquals(List.of("first"), names.map(p -> p.getFileName().toString()).toList(), "no temporary files left");
    }
    Map<String, byte[]> after = snapshot(disk);
    assertEquals(before.keySet(), after.keySet());
    before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name));
  }
}
