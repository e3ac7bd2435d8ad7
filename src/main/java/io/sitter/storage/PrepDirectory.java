package io.sitter.storage;

import io.sitter.config.BadInputException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.fs.Path;

/**
 * A prep output directory ({@code prep --out}, read with {@code --data}): {@code
 * preprocessing.json} and the Parquet splits {@code train/}, {@code val/}, {@code test/} (a split
 * of no rows is absent). The one place that knows these names. Spark writes and reads the splits
 * itself at {@link #split}; this class writes and reads {@code preprocessing.json}, which is
 * written last, so a directory is a prep output exactly when that file is committed.
 */
public final class PrepDirectory {
  public static final String PREPROCESSING = "preprocessing.json";
  public static final List<String> SPLITS = List.of("train", "val", "test");

  private final CommittedFiles files;
  private final Path dir;

  private PrepDirectory(CommittedFiles files, Path dir) {
    this.files = files;
    this.dir = dir;
  }

  /**
   * The prep directory at {@code dir}, first repaired if a process was killed while replacing it
   * ({@link CommittedFiles#recoverAside}): every command that reads or replaces a prep output
   * comes through here, so the previous output is back before anyone looks for it.
   */
  public static PrepDirectory at(Storage storage, Path dir) {
    storage.files().recoverAside(dir);
    return new PrepDirectory(storage.files(), dir);
  }

  public Path path() {
    return dir;
  }

  /** Where a split's Parquet files are (or are to be written), for Spark. */
  public Path split(String name) {
    if (!SPLITS.contains(name)) {
      throw new IllegalArgumentException("split must be one of " + SPLITS + ", got " + name);
    }
    return new Path(dir, name);
  }

  public Path preprocessingFile() {
    return new Path(dir, PREPROCESSING);
  }

  /** Whether {@code preprocessing.json} is committed: the directory is a finished prep output. */
  public boolean isPrep() {
    return files.exists(preprocessingFile());
  }

  /** Whether a split's directory exists (its rows are Spark's to read). */
  public boolean hasSplit(String name) {
    try {
      return files.storage().fileSystem(dir).getFileStatus(split(name)).isDirectory();
    } catch (FileNotFoundException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach " + split(name) + ": " + e.getMessage(), e);
    }
  }

  /**
   * The text of {@code preprocessing.json}.
   *
   * @param flag the flag the directory came from, for the message
   * @throws BadInputException when it is missing: the directory is no prep output
   */
  public String preprocessing(String flag) {
    try {
      return files.readString(preprocessingFile());
    } catch (FileNotFoundException e) {
      throw new BadInputException(flag + " " + dir + " is not a prep output directory: " + PREPROCESSING + " is missing");
    } catch (IOException e) {
      throw new BadInputException(preprocessingFile() + " cannot be read: " + e.getMessage(), e);
    }
  }

  /** Whether anything is at the path (a file or a directory). */
  public boolean exists() {
    try {
      return files.storage().fileSystem(dir).exists(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Starts writing a prep output that appears at {@code target} whole: on rename file systems in
   * a hidden sibling renamed into place by {@link Staged#publish}, on object stores in place
   * (its {@code preprocessing.json}, written last, commits it).
   */
  public static Staged stage(Storage storage, Path target) {
    CommittedFiles files = storage.files();
    try {
      storage.fileSystem(target).mkdirs(target.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + target.getParent() + ": " + e.getMessage(), e);
    }
    return new Staged(files, files.staging(target), target);
  }

  /** A prep output being written. */
  public static final class Staged {
    private final CommittedFiles files;
    private final PrepDirectory staged;
    private final Path target;

    private Staged(CommittedFiles files, Path staged, Path target) {
      this.files = files;
      this.staged = new PrepDirectory(files, staged);
      this.target = target;
    }

    /** Where Spark writes a split. */
    public Path split(String name) {
      return staged.split(name);
    }

    /** Writes {@code preprocessing.json} (last) and puts the directory in place. */
    public PrepDirectory publish(String preprocessingJson) {
      files.writeString(staged.preprocessingFile(), preprocessingJson);
      files.publish(staged.path(), target);
      return new PrepDirectory(files, target);
    }

    /** Removes what was written, after a failure. */
    public void abandon() {
      files.deleteQuietly(staged.path());
    }
  }

}
