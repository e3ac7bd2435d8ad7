package io.sitter.storage;

import io.sitter.config.BadInputException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsAction;
import org.apache.hadoop.security.AccessControlException;

/**
 * Checks that an output location can be written, before a command reads any input: a failure
 * found after minutes of work (a parent that is a regular file, a read-only directory, another
 * run writing there) costs those minutes, and a stack trace besides. Bad input naming the path.
 */
public final class OutputLocation {
  private OutputLocation() {}

  /**
   * Refuses {@code location} when it cannot be created or written: its nearest existing ancestor
   * (or itself) is a regular file where a directory is needed, or that ancestor is not writable.
   *
   * @param flag the flag the path came from, for the message
   * @param isFile whether the location is a file (then the location itself may be an existing file)
   */
  public static void check(Storage storage, String flag, Path location, boolean isFile) {
    FileSystem fs = storage.fileSystem(location);
    Path existing = location;
    FileStatus status = null;
    try {
      while (existing != null) {
        try {
          status = fs.getFileStatus(existing);
          break;
        } catch (FileNotFoundException e) {
          existing = existing.getParent();
        }
      }
    } catch (AccessControlException e) {
      throw new BadInputException(flag + " " + PathMessages.show(location) + ": permission denied on " + PathMessages.show(existing), e);
    } catch (IOException e) {
      throw PathMessages.failure(flag, location, e);
    }
    if (status == null) {
      return; // the root of an object store bucket that lists nothing: the write will tell
    }
    if (existing.equals(location)) {
      if (status.isFile() && !isFile) {
        throw new BadInputException(flag + " " + PathMessages.show(location) + " is a regular file, not a directory");
      }
      if (status.isDirectory() && isFile) {
        throw new BadInputException(flag + " " + PathMessages.show(location) + " is a directory, not a file");
      }
    } else if (status.isFile()) {
      throw new BadInputException(flag + " " + PathMessages.show(location) + " cannot be created: " + PathMessages.show(existing)
          + " is a regular file, not a directory");
    }
    Path writeTo = existing.equals(location) && status.isFile() ? location.getParent() : existing;
    if (!writable(fs, writeTo)) {
      throw new BadInputException(flag + " " + PathMessages.show(location) + " cannot be written: " + PathMessages.show(writeTo)
          + " is not writable" + (writeTo.equals(location) ? "" : " (the directory it would be created in)"));
    }
  }

  /**
   * Checks {@code location} as {@link #check} does and takes its {@link OutputLock}: the location
   * is refused when another live process holds it.
   */
  public static OutputLock claim(Storage storage, String flag, Path location, boolean isFile) {
    check(storage, flag, location, isFile);
    return OutputLock.acquire(storage, flag, location);
  }

  private static boolean writable(FileSystem fs, Path dir) {
    if ("file".equals(dir.toUri().getScheme())) {
      // access(2): right for root (who may write anywhere but on a read-only mount) and for ACLs;
      // Hadoop's generic access() compares owner and mode bits only.
      java.nio.file.Path p = java.nio.file.Path.of(dir.toUri());
      return Files.isWritable(p) && Files.isExecutable(p);
    }
    try {
      fs.access(dir, FsAction.WRITE);
      return true;
    } catch (AccessControlException e) {
      return false;
    } catch (IOException | UnsupportedOperationException e) {
      return true; // the file system cannot say: the write itself will
    }
  }
}
