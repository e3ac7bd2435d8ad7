package io.sitter.data;

import io.sitter.config.BadInputException;
import io.sitter.storage.PathMessages;
import io.sitter.storage.Storage;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * File helpers for the readers, through Hadoop's {@link FileSystem} so any scheme works: on the
 * driver only metadata (whether a path exists, a directory's files, a text file's first line, an
 * IDX header); {@link #open} is also what executor tasks read IDX files with.
 */
final class InputFiles {
  private InputFiles() {}

  /** The status of {@code path}, or null when nothing is there. */
  static FileStatus status(Storage storage, String what, Path path) {
    try {
      return storage.fileSystem(path).getFileStatus(path);
    } catch (FileNotFoundException e) {
      return null;
    } catch (IOException e) {
      throw PathMessages.failure(what, path, e);
    }
  }

  static boolean isFile(Storage storage, Path path) {
    FileStatus s = status(storage, "input", path);
    return s != null && s.isFile();
  }

  static boolean isDirectory(Storage storage, Path path) {
    FileStatus s = status(storage, "input", path);
    return s != null && s.isDirectory();
  }

  /** The file itself, or a directory's visible files in name order (Spark's part files). */
  static List<Path> dataFiles(Storage storage, Path input) {
    FileStatus s = status(storage, "input", input);
    if (s == null) {
      throw new BadInputException("input " + PathMessages.show(input) + " does not exist");
    }
    if (!s.isDirectory()) {
      return List.of(s.getPath());
    }
    FileStatus[] listed;
    try {
      listed = storage.fileSystem(input).listStatus(input);
    } catch (IOException e) {
      throw PathMessages.failure("input directory", input, e);
    }
    List<Path> files =
        Arrays.stream(listed)
            .filter(FileStatus::isFile)
            .map(FileStatus::getPath)
            .filter(p -> !p.getName().startsWith(".") && !p.getName().startsWith("_"))
            .sorted(Comparator.comparing(Path::getName))
            .toList();
    if (files.isEmpty()) {
      throw new BadInputException("input directory " + PathMessages.show(input) + " holds no data files");
    }
    return files;
  }

  /**
   * Opens a file, decompressing it when it starts with the gzip magic number (whatever its name).
   *
   * @param bufferBytes how much to read ahead: small when only a header is wanted
   */
  static InputStream open(FileSystem fs, Path file, int bufferBytes) throws IOException {
    InputStream in = new BufferedInputStream(fs.open(file), bufferBytes);
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    return b1 == 0x1f && b2 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in, bufferBytes), bufferBytes) : in;
  }

  /** A line of a text file and its 1-based number. */
  record NumberedLine(String text, long number) {}

  /** The first non-blank line of a text file, or null when it has none. */
  static NumberedLine firstLine(Storage storage, Path file) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(open(storage.fileSystem(file), file, 1 << 13), StandardCharsets.UTF_8))) {
      long number = 1;
      for (String line = r.readLine(); line != null; line = r.readLine(), number++) {
        if (!line.isBlank()) {
          return new NumberedLine(line, number);
        }
      }
      return null;
    } catch (IOException e) {
      throw PathMessages.failure("input", file, e);
    }
  }

  /** The file name without a trailing {@code .gz}, lower case. */
  static String baseName(Path file) {
    String name = file.getName().toLowerCase(Locale.ROOT);
    return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
  }
}
