package io.sitter.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A table's rows survive a kill of the writer at any point: between rows, and in the middle of a write. */
class JsonLinesTableTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir java.nio.file.Path tmp;

  private final Storage local = Storage.local();
  private final Storage objectStore = Storage.of(ObjectStoreLikeFileSystem.configuration());

  @AfterEach
  void noMoreKills() {
    ObjectStoreLikeFileSystem.CREATES_BEFORE_KILL.set(-1);
  }

  private static ObjectNode row(int round) {
    ObjectNode o = JSON.createObjectNode();
    o.put("round", round);
    o.put("loss", 1.0 / round);
    return o;
  }

  private static List<Integer> rounds(List<ObjectNode> rows) {
    return rows.stream().map(r -> r.get("round").asInt()).toList();
  }

  private static List<Integer> oneTo(int n) {
    return IntStream.rangeClosed(1, n).boxed().toList();
  }

  private Path dir(Storage storage, String scheme) {
    return storage.resolve("test", scheme.equals("file") ? tmp.toString() : scheme + "://" + tmp);
  }

  @Test
  void everyAppendedRowIsReadableBeforeClose() {
    for (Storage storage : List.of(local, objectStore)) {
      Path dir = dir(storage, storage == local ? "file" : ObjectStoreLikeFileSystem.SCHEME);
      CommittedFiles files = storage.files();
      JsonLinesTable t = JsonLinesTable.create(files, new Path(dir, storage == local ? "a" : "b"), "metrics", JsonLinesTable::flatten);
      int n = 2 * JsonLinesTable.SEGMENT_ROWS + 5; // three segments
      for (int r = 1; r <= n; r++) {
        t.append(row(r));
        // a reader at any moment (the report of a live run; a resume after a kill) sees every row so far
        assertEquals(oneTo(r), rounds(JsonLinesTable.read(files, new Path(dir, storage == local ? "a" : "b"), "metrics")));
      }
    }
  }

  /**
   * A reader running beside the writer (YarnIT polls a live run's metrics on HDFS) lists a segment
   * the writer then replaces and deletes: it must read again, never fail, and always see a prefix
   * of the rows, the table closing under it included.
   */
  @Test
  void aReaderBesideTheWriterAlwaysSeesAPrefixOfTheRows() throws Exception {
    CommittedFiles files = local.files();
    Path dir = new Path(dir(local, "file"), "live");
    JsonLinesTable t = JsonLinesTable.create(files, dir, "metrics", JsonLinesTable::flatten);
    int n = 4 * JsonLinesTable.SEGMENT_ROWS;
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.CompletableFuture<Void> reader = java.util.concurrent.CompletableFuture.runAsync(() -> {
      int seen = 0;
      while (!done.get()) {
        List<Integer> r = rounds(JsonLinesTable.read(files, dir, "metrics"));
        assertEquals(oneTo(r.size()), r, "a prefix of the rows");
        assertTrue(r.size() >= seen, "rows never disappear: " + r.size() + " after " + seen);
        seen = r.size();
        reads.incrementAndGet();
      }
    });
    for (int r = 1; r <= n; r++) {
      t.append(row(r));
    }
    t.close();
    done.set(true);
    reader.get(); // rethrows the reader's failure, if any
    assertTrue(reads.get() > 10, "the reader ran beside the writer: " + reads.get() + " reads");
    assertEquals(oneTo(n), rounds(JsonLinesTable.read(files, dir, "metrics")));
  }

  @Test
  void aKillInTheMiddleOfARowsWriteLosesOnlyThatRowOnAnObjectStore() {
    CommittedFiles files = objectStore.files();
    Path dir = new Path(dir(objectStore, ObjectStoreLikeFileSystem.SCHEME), "run");
    JsonLinesTable t = JsonLinesTable.create(files, dir, "metrics", JsonLinesTable::flatten);
    int n = JsonLinesTable.SEGMENT_ROWS + 3;
    for (int r = 1; r <= n; r++) {
      t.append(row(r));
    }
    ObjectStoreLikeFileSystem.CREATES_BEFORE_KILL.set(0);
    assertThrows(RuntimeException.class, () -> t.append(row(n + 1)));
    assertEquals(oneTo(n), rounds(JsonLinesTable.read(files, dir, "metrics")), "every completed row, none cut short");

    // the next process resumes from what the reader sees, and the table closes whole
    JsonLinesTable resumed = JsonLinesTable.reopen(files, dir, "metrics", JsonLinesTable::flatten, row -> true);
    resumed.append(row(n + 1));
    resumed.close();
    assertEquals(oneTo(n + 1), rounds(JsonLinesTable.read(files, dir, "metrics")));
    assertFalse(Files.exists(tmp.resolve("run/metrics.parts")), "compacted: the segments are gone");
  }

  @Test
  void aKillInTheMiddleOfTheCompactionKeepsEveryRow() {
    CommittedFiles files = objectStore.files();
    Path dir = new Path(dir(objectStore, ObjectStoreLikeFileSystem.SCHEME), "run");
    JsonLinesTable t = JsonLinesTable.create(files, dir, "metrics", JsonLinesTable::flatten);
    for (int r = 1; r <= 10; r++) {
      t.append(row(r));
    }
    ObjectStoreLikeFileSystem.CREATES_BEFORE_KILL.set(0); // the compacted metrics.jsonl dies half written
    assertThrows(RuntimeException.class, t::close);
    assertTrue(Files.exists(tmp.resolve("run/metrics.jsonl")), "a half file under the final name...");
    assertEquals(oneTo(10), rounds(JsonLinesTable.read(files, dir, "metrics")), "...that readers pass over for the segments");
  }

  @Test
  void resumeKeepsTheRowsItIsToldToAndAfterCloseTheFilesAreWhole() throws Exception {
    CommittedFiles files = local.files();
    Path dir = local.resolve("test", tmp.toString());
    JsonLinesTable t = JsonLinesTable.create(files, dir, "metrics", JsonLinesTable::flatten);
    for (int r = 1; r <= 5; r++) {
      t.append(row(r));
    }
    // killed here: no close. A leftover temporary file of a write in flight is ignored.
    Files.createDirectories(tmp.resolve("metrics.parts"));
    Files.writeString(tmp.resolve("metrics.parts/.000000-0006.jsonl.1234.tmp"), "{\"round\": 6, \"lo");
    JsonLinesTable resumed = JsonLinesTable.reopen(files, dir, "metrics", JsonLinesTable::flatten, row -> row.get("round").asInt() <= 3);
    assertEquals(oneTo(3), rounds(resumed.rows()));
    resumed.append(row(4));
    resumed.close();
    List<String> lines = Files.readAllLines(tmp.resolve("metrics.jsonl"));
    assertEquals(List.of(1, 2, 3, 4), lines.stream().map(l -> {
      try {
        return JSON.readTree(l).get("round").asInt();
      } catch (Exception e) {
        throw new AssertionError(l, e);
      }
    }).toList());
    List<String> csv = Files.readAllLines(tmp.resolve("metrics.csv"));
    assertEquals(List.of("round,loss", "1,1.0", "2,0.5", "3,0.3333333333333333", "4,0.25"), csv);
    assertEquals(List.of("metrics.csv", "metrics.jsonl"), Files.list(tmp).map(p -> p.getFileName().toString()).sorted().toList());
  }

  @Test
  void aPlainPathAndAFileUriReadTheSameTable() {
    CommittedFiles files = local.files();
    Path plain = local.resolve("test", tmp.toString());
    JsonLinesTable t = JsonLinesTable.create(files, plain, "trials", JsonLinesTable::flatten);
    t.append(row(1));
    t.append(row(2));
    Path uri = local.resolve("test", tmp.toUri().toString());
    assertEquals(List.of(1, 2), rounds(JsonLinesTable.read(files, uri, "trials")));
    t.close();
    assertEquals(List.of(1, 2), rounds(JsonLinesTable.read(files, uri, "trials")));
  }
}
