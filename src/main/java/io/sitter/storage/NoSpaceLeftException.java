package io.sitter.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;
import org.apache.hadoop.fs.Path;

/**
 * A write that failed because the file system is full (ENOSPC on a local disk, an HDFS space
 * quota, DataNodes out of space): not bad input, but nothing a stack trace would explain either;
 * the CLI prints this message alone (exit 1). The writer has removed its temporary files by the
 * time this is thrown, and earlier outputs are untouched.
 */
public final class NoSpaceLeftException extends UncheckedIOException {
  private static final String[] SIGNS = {"no space left on device", "diskspace quota", "dsquotaexceeded", "diskoutofspace",
      "could only be written to 0 of the"};

  public NoSpaceLeftException(Path target, Throwable cause) {
    super("no space left on the device holding " + PathMessages.show(target) + " while writing it; free space (or raise the quota) and run "
        + "again (a training continues with --resume)", cause instanceof IOException io ? io : new IOException(cause));
  }

  /**
   * {@code e} as a {@link NoSpaceLeftException} about {@code target} when its text says the file
   * system was full. Matched on text, because Spark passes an executor's exception to the driver as
   * a string.
   */
  public static Optional<NoSpaceLeftException> of(Throwable e, Path target) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof NoSpaceLeftException n) {
        return Optional.of(n);
      }
    }
    return isNoSpace(e) ? Optional.of(new NoSpaceLeftException(target, e)) : Optional.empty();
  }

  /** Whether the failure's text says the file system was full. */
  public static boolean isNoSpace(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      String m = (c.getClass().getName() + " " + c.getMessage()).toLowerCase(Locale.ROOT);
      for (String sign : SIGNS) {
        if (m.contains(sign)) {
          return true;
        }
      }
    }
    return false;
  }
}
