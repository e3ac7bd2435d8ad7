package io.sitter.data;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.TaskContext;

/**
 * The local file system under the scheme {@code countfs:}, counting the bytes read through it
 * inside Spark tasks and outside them (the driver), so a test can tell where data was read.
 */
public final class CountingFileSystem extends RawLocalFileSystem {
  static final String SCHEME = "countfs";
  static final AtomicLong OUTSIDE_TASKS = new AtomicLong();
  static final AtomicLong IN_TASKS = new AtomicLong();

  /** Makes {@code countfs:} paths readable under {@code conf}. */
  static void register(Configuration conf) {
    conf.set("fs." + SCHEME + ".impl", CountingFileSystem.class.getName());
  }

  static Path of(java.nio.file.Path local) {
    return new Path(SCHEME + ":" + local.toAbsolutePath().normalize());
  }

  static void reset() {
    OUTSIDE_TASKS.set(0);
    IN_TASKS.set(0);
  }

  @Override
  public URI getUri() {
    return URI.create(SCHEME + ":///");
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public FSDataInputStream open(Path f, int bufferSize) throws IOException {
    return new FSDataInputStream(new Counting(super.open(f, bufferSize)));
  }

  private static final class Counting extends FSInputStream {
    private final FSDataInputStream in;

    Counting(FSDataInputStream in) {
      this.in = in;
    }

    private int count(int n) {
      if (n > 0) {
        (TaskContext.get() == null ? OUTSIDE_TASKS : IN_TASKS).addAndGet(n);
      }
      return n;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return count(in.read(b, off, len));
    }

    @Override
    public void seek(long pos) throws IOException {
      in.seek(pos);
    }

    @Override
    public long getPos() throws IOException {
      return in.getPos();
    }

    @Override
    public boolean seekToNewSource(long targetPos) throws IOException {
      return in.seekToNewSource(targetPos);
    }

    @Override
    public int available() throws IOException {
      return in.available();
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
