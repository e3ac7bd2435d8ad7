package io.sitter.prep;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;

/** Writes that a reader never sees half done: a temporary sibling, then a rename. */
final class AtomicFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AtomicFiles() {}

  static void writeJson(Path target, Object value) {
    Path tmp = temporarySibling(target);
    try {
      if (target.getParent() != null) {
        Files.createDirectories(target.getParent());
      }
      JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), value);
      move(tmp, target);
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  /** A not-yet-existing hidden sibling of {@code target} in the same directory (so rename is atomic). */
  static Path temporarySibling(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
  }

  static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Puts the finished directory {@code fresh} at {@code target}, replacing an existing one: the
   * old directory is renamed aside first and deleted only once the new one is in place.
   */
  static void replaceDirectory(Path fresh, Path target) throws IOException {
    Path old = null;
    if (Files.exists(target)) {
      old = target.resolveSibling("." + target.getFileName() + ".old-" + UUID.randomUUID());
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    }
    try {
      Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (old != null) {
        Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
      }
      throw e;
    }
    if (old != null) {
      deleteQuietly(old);
    }
  }

  static void deleteQuietly(Path path) {
    if (path == null || !Files.exists(path)) {
      return;
    }
    try {
      Files.walkFileTree(
          path,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              Files.delete(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      // Best effort: it is a hidden temporary sibling; the caller's own error matters more.
    }
  }
}
