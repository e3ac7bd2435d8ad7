package io.sitter.data;

import io.sitter.config.BadInputException;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** Driver-side file helpers for the readers: listing inputs and peeking at them. */
final class InputFiles {
  private InputFiles() {}

  /** The file itself, or a directory's visible regular files in name order (Spark's part files). */
  static List<Path> dataFiles(Path input) {
    if (!Files.exists(input)) {
      throw new BadInputException("input " + input + " does not exist");
    }
    if (!Files.isDirectory(input)) {
      return List.of(input);
    }
    try (Stream<Path> s = Files.list(input)) {
      List<Path> files =
          s.filter(Files::isRegularFile)
              .filter(p -> !p.getFileName().toString().startsWith(".") && !p.getFileName().toString().startsWith("_"))
              .sorted()
              .toList();
      if (files.isEmpty()) {
        throw new BadInputException("input directory " + input + " holds no data files");
      }
      return files;
    } catch (IOException e) {
      throw new BadInputException("cannot list input directory " + input + ": " + e.getMessage(), e);
    }
  }

  /** Opens a file, decompressing it when it starts with the gzip magic number (whatever its name). */
  static InputStream open(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    return b1 == 0x1f && b2 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
  }

  /** A line of a text file and its 1-based number. */
  record NumberedLine(String text, long number) {}

  /** The first non-blank line of a text file, or null when it has none. */
  static NumberedLine firstLine(Path file) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8))) {
      long number = 1;
      for (String line = r.readLine(); line != null; line = r.readLine(), number++) {
        if (!line.isBlank()) {
          return new NumberedLine(line, number);
        }
      }
      return null;
    } catch (IOException e) {
      throw new BadInputException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The file name without a trailing {@code .gz}, lower case. */
  static String baseName(Path file) {
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
  }
}
