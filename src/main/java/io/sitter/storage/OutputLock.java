package io.sitter.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitter.config.BadInputException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The claim of one sitter process on an output location ({@code train --out RUN}, {@code prep
 * --out DIR}, ...): a small JSON file {@code .NAME.lock} beside the location (not inside it: the
 * location may not exist yet, is replaced whole by {@code --overwrite}, and is checked to hold
 * nothing but sitter's files), reached through Hadoop's {@link FileSystem} like every other file.
 *
 * <p>The file names its owner: host, pid, the process's start time, a random token, and when the
 * owner last renewed it. The owner renews it every {@link #RENEW_MILLIS} (a daemon thread) and
 * deletes it when it finishes, fails or is stopped by a signal (a shutdown hook); a {@code kill
 * -9} leaves it behind, so a lock is <b>stale</b>, and taken over, when
 *
 * <ul>
 *   <li>its owner ran on this host and no process with that pid and start time is alive (a
 *       killed run can be resumed at once), or
 *   <li>it was not renewed for {@link #LEASE_MILLIS} (an owner on another host, e.g. a YARN
 *       driver in cluster mode: a lease), or it cannot be parsed and is that old.
 * </ul>
 *
 * <p>What it guarantees: on local files and HDFS the lock file is created exclusively (O_EXCL;
 * the NameNode's create without overwrite), so of two processes starting at once exactly one
 * gets it. A stale lock is taken over by renaming it aside (atomic there: only one of two
 * contenders moves it) and then creating a fresh one exclusively. On object stores (s3a, gs,
 * abfs) Hadoop 3.3's create without overwrite is a check followed by an upload, not atomic:
 * there the lock reliably refuses a second process that starts once the first one's lock is
 * visible (S3, GCS and ADLS gen2 list and read their own writes consistently), but two processes
 * started within the same second may both proceed. Renewal rewrites the object there, as object
 * stores keep no settable modification time.
 */
public final class OutputLock implements AutoCloseable {
  /** A lock not renewed for this long is stale whatever host it names. */
  public static final long LEASE_MILLIS = 120_000;
  /** How often the owner renews its lock. */
  static final long RENEW_MILLIS = 20_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final CommittedFiles files;
  private final Path lockFile;
  private final String token;
  private final Thread hook;
  private final ScheduledExecutorService renewer;
  private boolean closed;

  private OutputLock(CommittedFiles files, Path lockFile, String token) {
    this.files = files;
    this.lockFile = lockFile;
    this.token = token;
    this.hook = new Thread(this::release, "sitter-lock-release");
    Runtime.getRuntime().addShutdownHook(hook);
    this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sitter-lock-renew");
      t.setDaemon(true);
      return t;
    });
    renewer.scheduleWithFixedDelay(this::renew, RENEW_MILLIS, RENEW_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** The lock file that guards {@code location}. */
  public static Path lockFileOf(Path location) {
    return new Path(location.getParent(), "." + location.getName() + ".lock");
  }

  /**
   * Takes the lock on {@code location}.
   *
   * @param flag the flag the location came from ({@code --out}), for the message
   * @throws BadInputException naming the location and the owner when another live process holds it
   */
  public static OutputLock acquire(Storage storage, String flag, Path location) {
    CommittedFiles files = storage.files();
    Path lockFile = lockFileOf(location);
    FileSystem fs = storage.fileSystem(lockFile);
    String token = UUID.randomUUID().toString();
    try {
      fs.mkdirs(lockFile.getParent());
      for (int attempt = 0; attempt < 3; attempt++) {
        if (create(fs, lockFile, token)) {
          return new OutputLock(files, lockFile, token);
        }
        Optional<Holder> holder = read(fs, lockFile);
        if (holder.isEmpty()) {
          continue; // released between our create and our read
        }
        if (!holder.get().stale(System.currentTimeMillis())) {
          throw new BadInputException(flag + " " + PathMessages.show(location) + " is in use by " + holder.get().describe()
              + " (lock file " + PathMessages.show(lockFile) + "); wait for it to finish, or stop it");
        }
        takeOver(fs, lockFile, holder.get());
      }
      throw new BadInputException(flag + " " + PathMessages.show(location) + " is in use: its lock file " + PathMessages.show(lockFile)
          + " keeps changing hands");
    } catch (IOException e) {
      throw PathMessages.failure(flag, lockFile, e);
    }
  }

  /** Deletes the lock if it is still ours; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    renewer.shutdownNow();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to
    }
    release();
  }

  private void release() {
    FileSystem fs = files.storage().fileSystem(lockFile);
    try {
      Optional<Holder> h = read(fs, lockFile);
      if (h.isPresent() && token.equals(h.get().token())) {
        fs.delete(lockFile, false);
      }
    } catch (IOException | RuntimeException ignored) {
      // a lock left behind is stale once this process is gone
    }
  }

  private void renew() {
    FileSystem fs = files.storage().fileSystem(lockFile);
    try {
      if (files.schemeOf(lockFile) == CommittedFiles.Scheme.RENAME) {
        fs.setTimes(lockFile, System.currentTimeMillis(), -1);
      } else {
        try (OutputStream out = fs.create(lockFile, true)) {
          out.write(content(token));
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // renewal is best effort: a missed one only shortens the lease another host would wait out
    }
  }

  /** Creates the lock file exclusively; false when one is there. */
  private static boolean create(FileSystem fs, Path lockFile, String token) throws IOException {
    byte[] bytes = content(token);
    if ("file".equals(lockFile.toUri().getScheme())) {
      // Hadoop's local create(overwrite = false) checks and then opens; O_EXCL is atomic.
      java.nio.file.Path p = java.nio.file.Path.of(lockFile.toUri());
      try {
        Files.write(p, bytes, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      }
    }
    try (OutputStream out = fs.create(lockFile, false)) {
      out.write(bytes);
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      // HDFS reports a file being created by another client as AlreadyBeingCreatedException.
      if (fs.exists(lockFile)) {
        return false;
      }
      throw e;
    }
  }

  /** Moves a stale lock aside (one contender wins the rename) and deletes it if it is still the stale one. */
  private static void takeOver(FileSystem fs, Path lockFile, Holder stale) throws IOException {
    Path aside = new Path(lockFile.getParent(), lockFile.getName() + "." + UUID.randomUUID() + ".stale");
    if (!fs.rename(lockFile, aside)) {
      return; // another contender moved it first
    }
    Optional<Holder> moved = read(fs, aside);
    if (moved.isPresent() && !moved.get().token().equals(stale.token()) && !moved.get().stale(System.currentTimeMillis())) {
      // A live lock written after we read the stale one: put it back (another contender's).
      if (!fs.exists(lockFile)) {
        fs.rename(aside, lockFile);
        return;
      }
    }
    fs.delete(aside, false);
  }

  private static byte[] content(String token) {
    ObjectNode n = JSON.createObjectNode();
    n.put("host", hostName());
    n.put("pid", ProcessHandle.current().pid());
    n.put("processStart", processStart(ProcessHandle.current()).map(Instant::toString).orElse(""));
    n.put("token", token);
    n.put("renewed", Instant.now().toString());
    return (n + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static Optional<Holder> read(FileSystem fs, Path lockFile) throws IOException {
    FileStatus status;
    byte[] bytes;
    try {
      status = fs.getFileStatus(lockFile);
      try (InputStream in = fs.open(lockFile)) {
        bytes = in.readAllBytes();
      }
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
    JsonNode n;
    try {
      n = JSON.readTree(bytes);
    } catch (IOException e) {
      n = null; // being written, or damaged
    }
    return Optional.of(new Holder(n == null ? JSON.createObjectNode() : n, status.getModificationTime()));
  }

  private record Holder(JsonNode json, long modified) {
    String token() {
      return json.path("token").asText("");
    }

    boolean stale(long now) {
      if (now - modified > LEASE_MILLIS) {
        return true;
      }
      if (!json.has("pid") || !hostName().equals(json.path("host").asText())) {
        return false; // another host (or unreadable): only the lease can tell
      }
      Optional<ProcessHandle> p = ProcessHandle.of(json.path("pid").asLong());
      if (p.isEmpty() || !p.get().isAlive()) {
        return true;
      }
      String start = json.path("processStart").asText("");
      return !start.isEmpty() && !processStart(p.get()).map(Instant::toString).orElse(start).equals(start);
    }

    String describe() {
      if (!json.has("pid")) {
        return "another process";
      }
      return "process " + json.path("pid").asLong() + " on " + json.path("host").asText() + " (started "
          + json.path("processStart").asText("?") + ")";
    }
  }

  private static Optional<Instant> processStart(ProcessHandle p) {
    return p.info().startInstant();
  }

  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown-host";
    }
  }

  /** For tests: the lock file this lock holds. */
  Path file() {
    return lockFile;
  }
}
