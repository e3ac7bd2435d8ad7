package io.sitter.storage;

import io.sitter.config.BadInputException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import org.apache.hadoop.fs.Path;

/**
 * How a path and a failure to reach it read in sitter's messages. A local file is shown as the
 * plain path the user typed it as ({@code /data/wine.csv}, as sitter always showed it), anything
 * else as its URI ({@code hdfs://nn:8020/data/wine.csv}). A file system that cannot be reached
 * (nothing listening, no route, a timeout, a namenode still starting) is bad input naming the URI
 * and its host, not Hadoop's stack of retries.
 */
public final class PathMessages {
  private PathMessages() {}

  /** {@code /x/y.csv} for a local file, the URI otherwise. */
  public static String show(Path path) {
    String scheme = path.toUri().getScheme();
    return scheme == null || "file".equalsIgnoreCase(scheme) ? path.toUri().getPath() : path.toString();
  }

  /**
   * The bad-input error for an {@link IOException} met while reaching {@code path}.
   *
   * @param what what the path is, the start of the message ({@code "input"}, {@code "config file"})
   */
  public static BadInputException failure(String what, Path path, IOException e) {
    if (e instanceof FileNotFoundException) {
      return new BadInputException(what + " " + show(path) + " does not exist", e);
    }
    String reason = unreachable(e);
    if (reason != null) {
      String host = path.toUri().getAuthority();
      return new BadInputException(
          what + " " + show(path) + ": cannot reach its file system" + (host == null ? "" : " at " + host) + " (" + reason
              + "); is the namenode or object store running and is the address right?",
          e);
    }
    return new BadInputException("cannot read " + what + " " + show(path) + ": " + firstLine(e.getMessage()), e);
  }

  /**
   * Why the file system could not be reached, or null when {@code e} is another failure. Hadoop
   * wraps the socket's exception into one of the same class with a longer message, so the chain
   * is searched by class.
   */
  static String unreachable(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof ConnectException) {
        return "connection refused";
      }
      if (c instanceof NoRouteToHostException) {
        return "no route to host";
      }
      if (c instanceof UnknownHostException) {
        return "unknown host " + c.getMessage();
      }
      if (c instanceof SocketTimeoutException) {
        return "connection timed out";
      }
      // A namenode in safe mode or still starting answers "retry later"; the IPC client wraps
      // it as a RemoteException whose class name is the server's.
      String name = c.getClass().getName() + " " + c.getMessage();
      if (name.contains("RetriableException")) {
        return "the namenode asks to retry later: " + firstLine(c.getMessage());
      }
      if (c instanceof InterruptedIOException && c.getMessage() != null && c.getMessage().toLowerCase(Locale.ROOT).contains("timed out")) {
        return "connection timed out";
      }
    }
    return null;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
