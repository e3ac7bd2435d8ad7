package io.sitter.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.config.BadInputException;
import java.io.File;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

class StorageTest {
  private final Storage storage = Storage.local();

  @Test
  void aRelativeLocalPathResolvesAgainstTheWorkingDirectory() {
    Path p = storage.resolve("--input", "data/x.csv");
    String expected = new File(System.getProperty("user.dir"), "data/x.csv").toURI().getPath();
    assertEquals("file", p.toUri().getScheme());
    assertEquals(expected, p.toUri().getPath());
  }

  @Test
  void fileUrisAndAbsolutePathsNameTheSameFile() {
    assertEquals(storage.resolve("--input", "/tmp/a/../b.csv"), storage.resolve("--input", "file:///tmp/b.csv"));
  }

  @Test
  void aColonInALocalNameIsNoScheme() {
    Path p = storage.resolve("--out", "run:1");
    assertEquals("file", p.toUri().getScheme());
    assertTrue(p.toUri().getPath().endsWith("/run:1"), p.toString());
  }

  @Test
  void hdfsUrisKeepTheirAuthority() {
    Path p = storage.resolve("--data", "hdfs://127.0.0.1:9000/prep/fm");
    assertEquals("hdfs", p.toUri().getScheme());
    assertEquals("127.0.0.1:9000", p.toUri().getAuthority());
    assertEquals("/prep/fm", p.toUri().getPath());
  }

  @Test
  void anUnknownSchemeIsBadInputNamingTheFlagAndTheScheme() {
    BadInputException e = assertThrows(BadInputException.class, () -> storage.resolve("--input", "nosuchfs://host/x.csv"));
    assertTrue(e.getMessage().startsWith("--input:"), e.getMessage());
    assertTrue(e.getMessage().contains("'nosuchfs'"), e.getMessage());
  }

  @Test
  void anObjectStoreWithoutItsConnectorSaysWhatToAdd() {
    BadInputException e = assertThrows(BadInputException.class, () -> storage.resolve("--data", "s3a://bucket/prep"));
    assertTrue(e.getMessage().contains("hadoop-aws"), e.getMessage());
  }

  @Test
  void emptyPathsAreBadInput() {
    assertThrows(BadInputException.class, () -> storage.resolve("--out", " "));
    assertThrows(BadInputException.class, () -> storage.resolve("--out", "hdfs://host:1"));
  }

  @Test
  void anExistingDirectoryResolvesWithoutATrailingSlash(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    Path p = storage.resolve("--out", dir.toString());
    assertEquals(dir.getFileName().toString(), p.getName());
    assertEquals(p, storage.resolve("--out", dir.toUri().toString()), "a file:// URI names the same directory");
    assertEquals(dir.getParent().toString(), p.getParent().toUri().getPath());
  }

  @Test
  void aUriEndingInASlashNamesTheDirectoryItself() {
    Path p = storage.resolve("--out", "hdfs://127.0.0.1:9000/runs/x/");
    assertEquals("x", p.getName());
    assertEquals(storage.resolve("--out", "hdfs://127.0.0.1:9000/runs/x"), p);
  }
}
