package io.sitter.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommittedFilesTest {
  @TempDir java.nio.file.Path tmp;

  private final Storage local = Storage.local();
  private final Storage objectStore = Storage.of(ObjectStoreLikeFileSystem.configuration());

  private Path localPath(String name) {
    return local.resolve("test", tmp.resolve(name).toString());
  }

  private Path objectPath(String name) {
    return objectStore.resolve("test", ObjectStoreLikeFileSystem.SCHEME + "://" + tmp.resolve(name));
  }

  private List<String> namesIn(java.nio.file.Path dir) throws IOException {
    try (Stream<java.nio.file.Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void theSchemeDecidesRenameOrMarker() {
    CommittedFiles files = local.files();
    for (String s : List.of("file:///x", "hdfs://nn:8020/x", "viewfs://c/x")) {
      assertEquals(CommittedFiles.Scheme.RENAME, files.schemeOf(new Path(s)), s);
    }
    for (String s : List.of("s3a://b/x", "gs://b/x", "abfs://c@a.dfs.core.windows.net/x", "wasb://c@a/x", "objtest:///x")) {
      assertEquals(CommittedFiles.Scheme.MARKER, files.schemeOf(new Path(s)), s);
    }
    Configuration forced = new Configuration();
    forced.set(CommittedFiles.MARKER_SCHEMES_KEY, "hdfs, file");
    assertEquals(CommittedFiles.Scheme.MARKER, Storage.of(forced).files().schemeOf(new Path("file:///x")));
  }

  @Test
  void aRenameWriteLeavesOnlyTheFileAndReplacesItWhole() throws Exception {
    CommittedFiles files = local.files();
    Path f = localPath("a/config.json");
    files.writeString(f, "one");
    files.writeString(f, "two");
    assertEquals("two", Files.readString(tmp.resolve("a/config.json")));
    assertEquals(List.of("config.json"), namesIn(tmp.resolve("a")), "no temporary, marker or .crc file is left");
    assertTrue(files.exists(f));
  }

  @Test
  void aRenameWriteThatFailsHalfWayKeepsThePreviousContent() throws Exception {
    CommittedFiles files = local.files();
    Path f = localPath("model.zip");
    files.writeString(f, "complete");
    assertThrows(UncheckedIOException.class, () -> files.write(f, out -> {
      out.write("half of a new mod".getBytes(StandardCharsets.UTF_8));
      throw new IOException("killed");
    }));
    assertEquals("complete", files.readString(f));
    assertEquals(List.of("model.zip"), namesIn(tmp));
  }

  @Test
  void aMarkerWriteIsCommittedByItsMarkerOnly() throws Exception {
    CommittedFiles files = objectStore.files();
    Path f = objectPath("run/checks.json");
    files.writeString(f, "{\"checks\": []}");
    assertEquals(List.of(".checks.json.committed", "checks.json"), namesIn(tmp.resolve("run")),
        "written under its final name, no rename; the marker beside it");
    assertEquals("{\"checks\": []}", files.readString(f));
    assertEquals(Long.toString(Files.size(tmp.resolve("run/checks.json"))),
        Files.readString(tmp.resolve("run/.checks.json.committed")), "the marker holds the committed length");
  }

  @Test
  void aMarkerWriteThatFailsHalfWayIsInvisibleToReaders() throws Exception {
    CommittedFiles files = objectStore.files();
    Path f = objectPath("evaluation.json");
    assertThrows(UncheckedIOException.class, () -> files.write(f, out -> {
      out.write("{\"accur".getBytes(StandardCharsets.UTF_8));
      throw new IOException("killed");
    }));
    assertTrue(Files.exists(tmp.resolve("evaluation.json")), "the half file is there under its final name...");
    assertFalse(files.exists(f), "...but uncommitted");
    assertThrows(FileNotFoundException.class, () -> files.readString(f));
  }

  @Test
  void aFileChangedAfterItsCommitIsNotTakenAsCommitted() throws Exception {
    CommittedFiles files = objectStore.files();
    Path f = objectPath("training.json");
    files.writeString(f, "{\"a\": 1}");
    Files.writeString(tmp.resolve("training.json"), "{\"a\": 1, \"b\"");
    assertFalse(files.exists(f), "the marker names another length");
  }

  @Test
  void deleteUncommitsFirst() {
    CommittedFiles files = objectStore.files();
    Path f = objectPath("report.html");
    files.writeString(f, "<html>");
    files.delete(f);
    assertFalse(files.exists(f));
    assertFalse(Files.exists(tmp.resolve(".report.html.committed")));
  }

  @Test
  void plainPathsAndFileUrisWriteAndReadTheSameFile() throws Exception {
    CommittedFiles files = local.files();
    Path plain = local.resolve("--out", tmp.resolve("same.json").toString());
    Path uri = local.resolve("--out", tmp.resolve("same.json").toUri().toString());
    assertEquals(plain, uri);
    files.writeString(plain, "x");
    assertEquals("x", files.readString(uri));
    assertArrayEquals("x".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(tmp.resolve("same.json")));
  }

  @Test
  void aPublishedDirectoryReplacesTheOldOneWhole() throws Exception {
    CommittedFiles files = local.files();
    Path target = localPath("prep");
    Path first = files.staging(target);
    files.writeString(new Path(first, "preprocessing.json"), "old");
    files.publish(first, target);
    Path second = files.staging(target);
    assertFalse(second.equals(target), "a rename file system stages aside");
    files.writeString(new Path(second, "preprocessing.json"), "new");
    assertEquals("old", files.readString(new Path(target, "preprocessing.json")), "untouched until published");
    files.publish(second, target);
    assertEquals("new", files.readString(new Path(target, "preprocessing.json")));
    assertEquals(List.of("prep"), namesIn(tmp), "neither the staging nor the old directory is left");
  }

  @Test
  void anObjectStoreStagesInPlace() {
    CommittedFiles files = objectStore.files();
    Path target = objectPath("prep");
    files.writeString(new Path(target, "stale.json"), "from an earlier run");
    Path staged = files.staging(target);
    assertEquals(target, staged);
    assertFalse(files.exists(new Path(target, "stale.json")), "the replaced directory is emptied first");
  }

  /** What the test hook throws to stop a publish where a kill would. */
  private static final class Killed extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  /** Publishes {@code text} as target's preprocessing.json, stopped between the renames when {@code kill}. */
  private Path publish(CommittedFiles files, Path target, String text, boolean kill) {
    Path staged = files.staging(target);
    files.writeString(new Path(staged, "preprocessing.json"), text);
    if (!kill) {
      files.publish(staged, target);
      return staged;
    }
    CommittedFiles.betweenRenames = () -> {
      throw new Killed();
    };
    try {
      assertThrows(Killed.class, () -> files.publish(staged, target));
    } finally {
      CommittedFiles.betweenRenames = () -> {};
    }
    return staged;
  }

  private List<String> asides(String name) throws IOException {
    return namesIn(tmp).stream().filter(n -> n.startsWith("." + name + CommittedFiles.ASIDE)).toList();
  }

  @Test
  void aKillBetweenTheRenamesLeavesTheOldDirectoryAsideAndTheNextCommandPutsItBack() throws Exception {
    CommittedFiles files = local.files();
    Path target = localPath("prep");
    publish(files, target, "old", false);
    Path staged = publish(files, target, "new", true);
    // As the kill left them: no directory under the final name, the old one whole under a hidden one.
    assertFalse(Files.exists(tmp.resolve("prep")), namesIn(tmp).toString());
    List<String> aside = asides("prep");
    assertEquals(1, aside.size(), namesIn(tmp).toString());
    assertEquals("old", Files.readString(tmp.resolve(aside.get(0)).resolve("preprocessing.json")));

    // The next command that opens the directory finds the previous output in place.
    PrepDirectory reopened = PrepDirectory.at(local, target);
    assertTrue(reopened.isPrep());
    assertEquals("old", reopened.preprocessing("--data"));
    assertEquals(List.of(), asides("prep"));

    // And a publish after that replaces it as usual, leaving nothing aside.
    files.publish(staged, target);
    assertEquals("new", files.readString(new Path(target, "preprocessing.json")));
    assertEquals(List.of("prep"), namesIn(tmp));
  }

  @Test
  void anAsideCopyLeftOnceTheNewDirectoryWasInIsDeleted() throws Exception {
    CommittedFiles files = local.files();
    Path target = localPath("out");
    publish(files, target, "new", false);
    // A kill after the rename-in, before the delete: the old copy is still beside the new one.
    java.nio.file.Path left = tmp.resolve(".out" + CommittedFiles.ASIDE + java.util.UUID.randomUUID());
    Files.createDirectories(left);
    Files.writeString(left.resolve("preprocessing.json"), "old");
    assertFalse(files.recoverAside(target), "the final name exists: nothing is put back");
    assertEquals("new", files.readString(new Path(target, "preprocessing.json")));
    assertEquals(List.of("out"), namesIn(tmp));
  }

  @Test
  void aKillDuringAPublishOverAnotherPublishesLeftoverRestoresTheNewestFirst() throws Exception {
    CommittedFiles files = local.files();
    Path target = localPath("p");
    publish(files, target, "one", false);
    publish(files, target, "two", true); // "one" is aside, "p" is missing
    // The publish itself repairs first: "one" is put back, then moved aside again and replaced.
    publish(files, target, "three", false);
    assertEquals("three", files.readString(new Path(target, "preprocessing.json")));
    assertEquals(List.of(), asides("p"));
  }
}
