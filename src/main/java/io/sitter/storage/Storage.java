package io.sitter.storage;

import io.sitter.config.BadInputException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Where sitter's paths live: every path a user gives ({@code --input}, {@code --out}, {@code
 * --data}, {@code --model}, {@code --config}, ...) is resolved here to a fully qualified Hadoop
 * {@link Path}, and every file is reached through the {@link FileSystem} of that path under one
 * Hadoop {@link Configuration} (the Spark session's, so {@code --conf spark.hadoop.fs.s3a.*}
 * reaches the object-store clients). Spark-free: the CLI hands in {@code
 * sparkContext().hadoopConfiguration()}.
 *
 * <p>A string with a scheme ({@code hdfs://nn:8020/x}, {@code s3a://bucket/x}, {@code
 * file:///x}) is taken as a URI; anything else is a local path, a relative one resolved against
 * the working directory (as sitter always did), so {@code data/x.csv} and {@code a:b.csv} stay
 * local files.
 */
public final class Storage {
  /** A URI scheme followed by "//" or a "file:" prefix; RFC 3986's scheme syntax. */
  private static final Pattern URI_LIKE = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://.*|^(file):.*", Pattern.DOTALL);

  private final Configuration conf;

  private Storage(Configuration conf) {
    this.conf = Objects.requireNonNull(conf, "conf");
  }

  public static Storage of(Configuration conf) {
    return new Storage(conf);
  }

  /** Plain local files only, for tools and tests that run without a Spark session. */
  public static Storage local() {
    return new Storage(new Configuration());
  }

  public Configuration configuration() {
    return conf;
  }

  /** Atomic writes and committed reads of files on these file systems. */
  public CommittedFiles files() {
    return new CommittedFiles(this);
  }

  /**
   * The qualified path a user's string names.
   *
   * @param what the flag or key the string came from ({@code --input}), for the message
   * @throws BadInputException when the string is not a path or its scheme has no file system
   *     on the classpath (naming {@code what} and the scheme)
   */
  public Path resolve(String what, String path) {
    if (path == null || path.isBlank()) {
      throw new BadInputException(what + ": an empty path");
    }
    var m = URI_LIKE.matcher(path);
    URI uri;
    if (m.matches()) {
      try {
        uri = new URI(path);
      } catch (URISyntaxException e) {
        throw new BadInputException(what + ": '" + path + "' is not a valid URI: " + e.getReason(), e);
      }
      String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      checkScheme(what, path, scheme);
      if (uri.getPath() == null || uri.getPath().isEmpty()) {
        throw new BadInputException(what + ": '" + path + "' names no path");
      }
      // Without a trailing slash (hdfs://nn/runs/x/): getName() and getParent() then mean the directory itself.
      uri = new Path(uri.getScheme(), uri.getAuthority(), uri.getPath()).toUri();
    } else {
      // A plain local path: resolved against this process's working directory, which only a
      // local file system has. Not through nio's toUri(), which ends an existing directory's URI
      // with "/": a directory would resolve differently before and after it exists.
      uri = new Path("file", null, java.nio.file.Path.of(path).toAbsolutePath().normalize().toString()).toUri();
    }
    Path p = new Path(uri);
    return p.makeQualified(fileSystemUri(what, p), null);
  }

  /**
   * The file system that holds {@code path}. Local files are reached without Hadoop's checksum
   * layer: sitter's own files need no {@code .NAME.crc} siblings (which would also defeat the
   * "nothing but sitter's files" checks of an output directory).
   */
  public FileSystem fileSystem(Path path) {
    try {
      FileSystem fs = path.getFileSystem(conf);
      return fs instanceof LocalFileSystem local ? local.getRaw() : fs;
    } catch (IOException e) {
      throw new BadInputException("cannot reach the file system of " + path + ": " + e.getMessage(), e);
    }
  }

  private void checkScheme(String what, String path, String scheme) {
    try {
      FileSystem.getFileSystemClass(scheme, conf);
    } catch (IOException | RuntimeException e) {
      // IOException: no file system is registered for the scheme; RuntimeException: Hadoop's
      // core-default.xml names one (fs.s3a.impl) whose class is not on the classpath.
      String hint = scheme.startsWith("s3") || scheme.startsWith("abfs") || scheme.startsWith("gs") || scheme.startsWith("wasb")
          ? " (object stores need their Hadoop connector on the classpath, e.g. spark-submit --packages org.apache.hadoop:hadoop-aws:<Spark's Hadoop version> for s3a)"
          : "";
      throw new BadInputException(what + ": unknown file system scheme '" + scheme + "' in " + path + hint, e);
    }
  }

  private URI fileSystemUri(String what, Path p) {
    URI u = p.toUri();
    if (u.getAuthority() != null || "file".equalsIgnoreCase(u.getScheme())) {
      return URI.create(u.getScheme() + "://" + (u.getAuthority() == null ? "" : u.getAuthority()) + "/");
    }
    // hdfs:///x: the authority comes from fs.defaultFS, as Hadoop's own tools read it.
    try {
      return FileSystem.get(u, conf).getUri();
    } catch (IOException e) {
      throw new BadInputException(what + ": cannot reach the file system of " + p + ": " + e.getMessage(), e);
    }
  }
}
