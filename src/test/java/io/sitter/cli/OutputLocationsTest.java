package io.sitter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.GeneratedPrepData;
import io.sitter.TestFiles;
import io.sitter.TestSpark;
import io.sitter.storage.OutputLocation;
import io.sitter.storage.OutputLock;
import io.sitter.storage.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output locations are refused before any input is read (a parent that is a regular file, a
 * directory that cannot be written, a location another process holds), and two trainings into
 * one run directory: the second is refused, the first finishes.
 */
class OutputLocationsTest {
  @TempDir static Path shared;
  private static Path data;

  @BeforeAll
  static void data() throws Exception {
    data = GeneratedPrepData.writeBlobs(TestSpark.session(), shared.resolve("data"), 160, 3, 3, 12, 100, 30);
  }

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  /**
   * An input that fails as soon as it is read: when a command reports the output instead, it did
   * not read its input first.
   */
  private static Path badInput(Path dir) {
    return TestFiles.write(dir.resolve("bad.csv"), List.of("1,2,0", "1,abc,1", "3,4,0"));
  }

  @Test
  void aParentThatIsARegularFileIsExit2NamingItBeforeTheInputIsRead(@TempDir Path tmp) throws Exception {
    Path file = Files.writeString(tmp.resolve("plain"), "not a directory");
    Path input = badInput(tmp);
    String out = file.resolve("sub/out").toString();
    for (String[] args : List.of(
        new String[] {"prep", "--input", input.toString(), "--out", out},
        new String[] {"train", "--input", input.toString(), "--out", out},
        new String[] {"run", "--input", input.toString(), "--out", out},
        new String[] {"check", "--input", input.toString(), "--out", out},
        new String[] {"stats", "--input", input.toString(), "--out", out},
        new String[] {"predict", "--model", tmp.resolve("no-model").toString(), "--input", input.toString(), "--out", out})) {
      CliRun r = run(args);
      assertEquals(2, r.code(), args[0] + ": " + r.err());
      assertTrue(r.err().contains("--out " + out + " cannot be created: " + file + " is a regular file"), args[0] + ": " + r.err());
      assertFalse(r.err().contains("abc") || r.err().contains("no-model") || r.err().contains("\tat "), args[0] + ": " + r.err());
    }
    assertEquals("not a directory", Files.readString(file));
    CliRun direct = run("prep", "--input", input.toString(), "--out", file.toString());
    assertEquals(2, direct.code());
    assertTrue(direct.err().contains("--out " + file + " is a regular file, not a directory"), direct.err());
  }

  @Test
  void aDirectoryThatCannotBeWrittenIsExit2NamingIt(@TempDir Path tmp) throws Exception {
    Path locked = Files.createDirectories(tmp.resolve("ro"));
    boolean root = "root".equals(System.getProperty("user.name"));
    Process mount = null;
    if (root) {
      // Root writes through any mode bits; a read-only mount refuses even root.
      mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", locked.toString()).inheritIO().start();
      org.junit.jupiter.api.Assumptions.assumeTrue(mount.waitFor() == 0, "cannot mount a read-only tmpfs");
    } else {
      assertTrue(locked.toFile().setWritable(false, false));
    }
    try {
      assertFalse(Files.isWritable(locked), "the directory is read-only (independent check)");
      Path input = badInput(tmp);
      String out = locked.resolve("prep").toString();
      CliRun r = run("prep", "--input", input.toString(), "--out", out);
      assertEquals(2, r.code(), r.err());
      assertTrue(r.err().contains("--out " + out + " cannot be written: " + locked + " is not writable"), r.err());
      CliRun s = run("stats", "--input", input.toString(), "--out", locked.resolve("s.json").toString());
      assertEquals(2, s.code(), s.err());
      assertTrue(s.err().contains(locked + " is not writable"), s.err());
    } finally {
      if (root) {
        new ProcessBuilder("umount", "-l", locked.toString()).inheritIO().start().waitFor();
      } else {
        locked.toFile().setWritable(true, false);
      }
    }
  }

  @Test
  void aLocationHeldByALiveProcessIsExit2AndAStaleLockIsTakenOver(@TempDir Path tmp) throws Exception {
    Path input = badInput(tmp);
    Path out = tmp.resolve("prep");
    Storage storage = Storage.local();
    org.apache.hadoop.fs.Path hOut = TestFiles.hadoop(out);
    try (OutputLock held = OutputLock.acquire(storage, "--out", hOut)) {
      CliRun r = run("prep", "--input", input.toString(), "--out", out.toString());
      assertEquals(2, r.code(), r.err());
      assertTrue(r.err().contains("--out " + out + " is in use by process " + ProcessHandle.current().pid()), r.err());
    }
    Path lockFile = tmp.resolve(".prep.lock");
    assertFalse(Files.exists(lockFile), "released on close");

    // A lock left by a process that is gone (kill -9): taken over at once.
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(lockFile, "{\"host\":\"" + java.net.InetAddress.getLocalHost().getHostName() + "\",\"pid\":" + gone.pid()
        + ",\"processStart\":\"2020-01-01T00:00:00Z\",\"token\":\"x\"}\n");
    Path good = TestFiles.write(tmp.resolve("good.csv"), TestFiles.blobsCsv(40, 2, 2, 3, false));
    CliRun taken = run("prep", "--input", good.toString(), "--out", out.toString());
    assertEquals(0, taken.code(), taken.err());
    assertFalse(Files.exists(lockFile));

    // Another host's lock: live while renewed within the lease, stale after it.
    Files.writeString(lockFile, "{\"host\":\"elsewhere.invalid\",\"pid\":1,\"processStart\":\"\",\"token\":\"y\"}\n");
    CliRun busy = run("prep", "--input", good.toString(), "--out", tmp.resolve("prep").toString(), "--overwrite");
    assertEquals(2, busy.code(), busy.err());
    assertTrue(busy.err().contains("is in use by process 1 on elsewhere.invalid"), busy.err());
    assertTrue(lockFile.toFile().setLastModified(System.currentTimeMillis() - OutputLock.LEASE_MILLIS - 1000));
    CliRun expired = run("prep", "--input", good.toString(), "--out", out.toString(), "--overwrite");
    assertEquals(0, expired.code(), expired.err());
    try (Stream<Path> names = Files.list(tmp)) {
      assertEquals(List.of("bad.csv", "good.csv", "prep"), names.map(p -> p.getFileName().toString()).sorted().toList(),
          "no lock or stale lock left behind");
    }
  }

  @Test
  void twoTrainingsIntoOneRunTheSecondIsRefusedTheFirstFinishes(@TempDir Path tmp) throws Exception {
    Path run = tmp.resolve("run");
    String[] args = {"train", "--data", data.toString(), "--out", run.toString(), "--partitions", "2", "--no-checks",
        "--set", "model.hiddenLayers=[8]", "--set", "train.epochs=3", "--set", "train.minibatchSize=16"};
    CompletableFuture<CliRun> first = CompletableFuture.supplyAsync(() -> run(args));
    Path lockFile = tmp.resolve(".run.lock");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(lockFile) && !first.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(Files.exists(lockFile), "the first training holds the lock while it runs");
    CliRun second = run(args);
    CliRun resume = run("train", "--out", run.toString(), "--resume");
    CliRun r1 = first.get(120, TimeUnit.SECONDS);
    assertEquals(2, second.code(), second.err());
    assertTrue(second.err().contains("--out " + run + " is in use by process " + ProcessHandle.current().pid()), second.err());
    assertEquals(2, resume.code(), resume.err());
    assertTrue(resume.err().contains("is in use"), resume.err());
    assertEquals(0, r1.code(), r1.err());
    assertTrue(r1.out().contains("epoch 3/3"), r1.out());
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    List<String> rows = Files.readAllLines(run.resolve("metrics.jsonl"));
    assertEquals(json.readTree(run.resolve("training.json").toFile()).get("rounds").asInt(), rows.size(), "every round once");
    long epochEnds = 0;
    for (String row : rows) {
      epochEnds += json.readTree(row).path("val_accuracy").isNumber() ? 1 : 0;
    }
    assertEquals(3, epochEnds, "three epochs, each validated once");
    assertTrue(Files.exists(run.resolve("model.zip")) && Files.exists(run.resolve("checkpoints/epoch-0003/state.json")));
    assertFalse(Files.exists(lockFile), "released when the first finishes");
  }

  @Test
  void checkAloneTouchesNothing(@TempDir Path tmp) {
    OutputLocation.check(Storage.local(), "--out", TestFiles.hadoop(tmp.resolve("a/b/c")), false);
    assertFalse(Files.exists(tmp.resolve("a")));
  }
}
