package io.sitter.storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * The one way sitter writes a file so that no reader ever sees it half written, on any Hadoop
 * file system. Which of two schemes applies is decided by the path's URI scheme:
 *
 * <ul>
 *   <li><b>rename</b> ({@link #RENAME_ATOMIC_SCHEMES}: local files, HDFS, viewfs, WebHDFS, Ozone,
 *       ADLS gen1): the file is written to a hidden temporary sibling and renamed onto its final
 *       name. Those file systems rename within a directory atomically (a POSIX rename(2); one
 *       NameNode operation), so the final name holds the old content or the new, never a part.
 *   <li><b>commit marker</b> (every other scheme: s3a, gs, abfs, wasb, oss, ...): object stores
 *       rename by copying, so a rename would expose a half-copied object and cost a second upload.
 *       There the file is written under its final name and committed by writing a small hidden
 *       marker {@code .NAME.committed} (holding the file's length) last; the marker of a file being
 *       replaced is deleted first. Readers go through {@link #exists} and {@link #read}, which treat
 *       a file without a marker of its length as absent.
 * </ul>
 *
 * A scheme can be forced onto markers with the Hadoop setting {@value #MARKER_SCHEMES_KEY}
 * (comma-separated; {@code --conf spark.hadoop.sitter.storage.commit-marker-schemes=...}).
 *
 * <p>Whole directories (a prep output, a prediction output) are published with {@link #staging} and
 * {@link #publish}: on rename file systems they are written to a hidden sibling and renamed into
 * place; on object stores they are written in place and the file a reader checks first
 * (preprocessing.json, model.zip) is committed last, with a marker like any other file.
 */
public final class CommittedFiles {
  /** Hadoop setting: more schemes (comma-separated) to treat as object stores. */
  public static final String MARKER_SCHEMES_KEY = "sitter.storage.commit-marker-schemes";

  /** File systems whose rename of a file or directory within one directory is atomic. */
  public static final Set<String> RENAME_ATOMIC_SCHEMES = Set.of("file", "hdfs", "viewfs", "webhdfs", "swebhdfs", "ofs", "o3fs", "adl");

  /** How a file system gets its files committed. */
  public enum Scheme {
    RENAME,
    MARKER
  }

  /** Writes a file's bytes. */
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Reads a file's bytes into a value. */
  public interface Reading<T> {
    T readFrom(InputStream in) throws IOException;
  }

  private final Storage storage;

  CommittedFiles(Storage storage) {
    this.storage = storage;
  }

  public Storage storage() {
    return storage;
  }

  public Scheme schemeOf(Path path) {
    String scheme = path.toUri().getScheme();
    scheme = scheme == null ? "file" : scheme.toLowerCase(Locale.ROOT);
    for (String forced : storage.configuration().getTrimmedStrings(MARKER_SCHEMES_KEY)) {
      if (forced.equalsIgnoreCase(scheme)) {
        return Scheme.MARKER;
      }
    }
    return RENAME_ATOMIC_SCHEMES.contains(scheme) ? Scheme.RENAME : Scheme.MARKER;
  }

  /** Writes {@code file} whole, replacing what was there; its directory is created when missing. */
  public void write(Path file, Content content) {
    FileSystem fs = storage.fileSystem(file);
    try {
      fs.mkdirs(file.getParent());
      if (schemeOf(file) == Scheme.RENAME) {
        Path tmp = new Path(file.getParent(), "." + file.getName() + "." + UUID.randomUUID() + ".tmp");
        try {
          try (OutputStream out = fs.create(tmp, true)) {
            content.writeTo(out);
          }
          renameOver(fs, tmp, file);
          tmp = null;
        } finally {
          if (tmp != null) {
            deleteQuietly(fs, tmp);
          }
        }
      } else {
        Path marker = marker(file);
        fs.delete(marker, false); // uncommitted from here on, until the new marker is written
        long length;
        try (var out = fs.create(file, true)) {
          content.writeTo(out);
          out.flush();
          length = out.getPos();
        }
        try (OutputStream out = fs.create(marker, true)) {
          out.write(Long.toString(length).getBytes(StandardCharsets.UTF_8));
        }
      }
    } catch (IOException e) {
      throw failure("cannot write", file, e);
    } catch (org.apache.hadoop.fs.FSError e) {
      // Hadoop's local file system reports a failed write (a full disk) as this Error, which
      // nothing would catch: the CLI ended with a stack trace, or not at all under Spark's threads.
      throw failure("cannot write", file, e.getCause() instanceof IOException io ? io : new IOException(e));
    }
  }

  public void writeString(Path file, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    write(file, out -> out.write(bytes));
  }

  /** Whether {@code file} is there and committed (on object stores: its marker names its length). */
  public boolean exists(Path file) {
    FileSystem fs = storage.fileSystem(file);
    try {
      FileStatus status;
      try {
        status = fs.getFileStatus(file);
      } catch (FileNotFoundException e) {
        return false;
      }
      if (!status.isFile()) {
        return false;
      }
      if (schemeOf(file) == Scheme.RENAME) {
        return true;
      }
      byte[] marker;
      try (InputStream in = fs.open(marker(file))) {
        marker = in.readAllBytes();
      } catch (FileNotFoundException e) {
        return false;
      }
      return new String(marker, StandardCharsets.UTF_8).trim().equals(Long.toString(status.getLen()));
    } catch (IOException e) {
      throw failure("cannot read", file, e);
    }
  }

  /**
   * Reads a committed file.
   *
   * @throws FileNotFoundException (wrapped in nothing) when the file is absent or not committed
   */
  public <T> T read(Path file, Reading<T> reading) throws IOException {
    if (!exists(file)) {
      throw new FileNotFoundException(file + " does not exist");
    }
    try (InputStream in = storage.fileSystem(file).open(file)) {
      return reading.readFrom(in);
    }
  }

  /** A committed file's text (UTF-8). */
  public String readString(Path file) throws IOException {
    return read(file, in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
  }

  /** Removes a file and its marker: uncommitted first, so no reader takes a half-deleted file. */
  public void delete(Path file) {
    FileSystem fs = storage.fileSystem(file);
    try {
      fs.delete(marker(file), false);
      fs.delete(file, false);
    } catch (IOException e) {
      throw failure("cannot delete", file, e);
    }
  }

  /** Deletes a directory tree; nothing when it does not exist. */
  public void deleteRecursively(Path dir) {
    try {
      storage.fileSystem(dir).delete(dir, true);
    } catch (IOException e) {
      throw failure("cannot delete", dir, e);
    }
  }

  /**
   * Where to write a directory that should appear at {@code target} whole: a fresh hidden sibling
   * on rename file systems; {@code target} itself on object stores (emptied first: the caller has
   * checked it may be replaced).
   */
  public Path staging(Path target) {
    if (schemeOf(target) == Scheme.MARKER) {
      deleteRecursively(target);
      return target;
    }
    return new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
  }

  /**
   * Puts the finished directory {@code staged} (from {@link #staging}) at {@code target},
   * replacing an existing one in three steps: the old one is renamed aside to a hidden sibling
   * {@code .NAME.old-<uuid>}, the new one renamed in, the aside copy deleted. So at no moment is
   * there neither: a process killed between the two renames leaves the old one aside, and {@link
   * #recoverAside} (run here first, and by the next command that opens the directory) puts it back.
   * On object stores nothing moves: the directory was written in place and its last committed
   * file marks it complete.
   */
  public void publish(Path staged, Path target) {
    if (staged.equals(target)) {
      return;
    }
    FileSystem fs = storage.fileSystem(target);
    try {
      recoverAside(target);
      Path old = null;
      if (fs.exists(target)) {
        old = new Path(target.getParent(), "." + target.getName() + ASIDE + UUID.randomUUID());
        if (!fs.rename(target, old)) {
          throw new IOException("cannot move the previous " + target + " aside");
        }
      }
      betweenRenames.run();
      if (!fs.rename(staged, target)) {
        if (old != null) {
          fs.rename(old, target);
        }
        throw new IOException("cannot rename " + staged + " to " + target);
      }
      if (old != null) {
        deleteQuietly(fs, old);
      }
    } catch (IOException e) {
      throw failure("cannot write", target, e);
    }
  }

  /** What separates a directory's name from the random part of its aside copy's name. */
  static final String ASIDE = ".old-";

  /**
   * Runs in {@link #publish} between moving the old directory aside and renaming the new one in:
   * a test throws from it to leave the files as a kill at that moment would.
   */
  static volatile Runnable betweenRenames = () -> {};

  /**
   * Repairs what a process killed inside {@link #publish} left beside {@code target}: an aside
   * copy {@code .NAME.old-<uuid>} is renamed back when {@code target} is missing (the kill came
   * between the renames: the old directory is the last complete one), and deleted when {@code
   * target} exists (the kill came after the new one was in). Best effort: a listing that fails is
   * left to the caller's own access to report.
   *
   * @return whether an aside copy was put back at {@code target}
   */
  public boolean recoverAside(Path target) {
    if (schemeOf(target) != Scheme.RENAME || target.getParent() == null) {
      return false;
    }
    FileSystem fs = storage.fileSystem(target);
    String prefix = "." + target.getName() + ASIDE;
    FileStatus[] asides;
    try {
      asides = fs.listStatus(target.getParent(), p -> p.getName().startsWith(prefix));
    } catch (IOException e) {
      return false;
    }
    if (asides.length == 0) {
      return false;
    }
    // More than one only if kills hit publishes with no command in between; the newest is the
    // directory that was in place last.
    java.util.Arrays.sort(asides, java.util.Comparator.comparingLong(FileStatus::getModificationTime).reversed());
    try {
      boolean restored = !fs.exists(target) && fs.rename(asides[0].getPath(), target);
      for (int i = restored ? 1 : 0; i < asides.length; i++) {
        deleteQuietly(fs, asides[i].getPath());
      }
      return restored;
    } catch (IOException e) {
      throw failure("cannot restore", target, e);
    }
  }

  /** {@link #recoverAside} for every entry of {@code dir} that has an aside copy (checkpoints). */
  public void recoverAsidesIn(Path dir) {
    if (schemeOf(dir) != Scheme.RENAME) {
      return;
    }
    FileStatus[] asides;
    try {
      asides = storage.fileSystem(dir).listStatus(dir, p -> p.getName().startsWith(".") && p.getName().contains(ASIDE));
    } catch (IOException e) {
      return;
    }
    java.util.Set<String> names = new java.util.TreeSet<>();
    for (FileStatus a : asides) {
      String n = a.getPath().getName();
      names.add(n.substring(1, n.lastIndexOf(ASIDE)));
    }
    for (String n : names) {
      recoverAside(new Path(dir, n));
    }
  }

  /** Best effort, for temporary siblings after a failure: the caller's own error matters more. */
  public void deleteQuietly(Path path) {
    if (path != null) {
      deleteQuietly(storage.fileSystem(path), path);
    }
  }

  static Path marker(Path file) {
    return new Path(file.getParent(), "." + file.getName() + ".committed");
  }

  private void renameOver(FileSystem fs, Path from, Path to) throws IOException {
    if (fs.rename(from, to)) { // local files: rename(2) replaces an existing file atomically
      return;
    }
    // HDFS refuses to rename onto an existing file; its rename with OVERWRITE is one atomic
    // NameNode operation, reached through FileContext (FileSystem's is not public).
    FileContext.getFileContext(fs.getUri(), storage.configuration()).rename(from, to, Options.Rename.OVERWRITE);
  }

  private static void deleteQuietly(FileSystem fs, Path path) {
    try {
      fs.delete(path, true);
    } catch (IOException ignored) {
      // best effort
    }
  }


  /**
   * The exception for an I/O failure on {@code path}: a file system that cannot be reached (a
   * namenode not running, a wrong host or port) is the user's input to fix, so it is bad input
   * naming the URI (exit 2); any other failure stays an I/O error (exit 1).
   */
  private static RuntimeException failure(String verb, Path path, IOException e) {
    var full = NoSpaceLeftException.of(e, path);
    if (full.isPresent()) {
      return full.get();
    }
    if (PathMessages.unreachable(e) != null) {
      return PathMessages.failure("file", path, e);
    }
    return new UncheckedIOException(verb + " " + path + ": " + e.getMessage(), e);
  }
}
