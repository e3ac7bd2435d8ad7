package io.sitter.storage;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * Local files under the scheme {@value #SCHEME}, which sitter does not know as rename-atomic, so
 * {@link CommittedFiles} treats it as an object store and commits with markers: the marker scheme
 * then runs against a real file system, with real listings, lengths and half-written files.
 */
public class ObjectStoreLikeFileSystem extends RawLocalFileSystem {
  public static final String SCHEME = "objtest";

  /**
   * A process kill in the middle of a write: when this many more files have been created, the
   * next one gets a few bytes and then its writer dies (an IOException). Negative: never.
   */
  public static final AtomicInteger CREATES_BEFORE_KILL = new AtomicInteger(-1);

  @Override
  public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize, short replication,
      long blockSize, Progressable progress) throws IOException {
    return maybeKilled(f, super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress));
  }

  @Override
  public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
      Progressable progress) throws IOException {
    return maybeKilled(f, super.create(f, overwrite, bufferSize, replication, blockSize, progress));
  }

  private static FSDataOutputStream maybeKilled(Path f, FSDataOutputStream real) throws IOException {
    if (CREATES_BEFORE_KILL.getAndDecrement() != 0) {
      return real;
    }
    OutputStream dying = new FilterOutputStream(real) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, Math.min(len, 7));
        out.close(); // what was sent before the kill stays, as an object store's partial upload or a local file would
        throw new IOException("killed while writing " + f);
      }
    };
    return new FSDataOutputStream(dying, null);
  }

  @Override
  public URI getUri() {
    return URI.create(SCHEME + ":///");
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  /** A configuration with the scheme registered ({@code fs.objtest.impl}). */
  public static Configuration configuration() {
    Configuration conf = new Configuration();
    conf.set("fs." + SCHEME + ".impl", ObjectStoreLikeFileSystem.class.getName());
    conf.setBoolean("fs." + SCHEME + ".impl.disable.cache", true);
    return conf;
  }
}
