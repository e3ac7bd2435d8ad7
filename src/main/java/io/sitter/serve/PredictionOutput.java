package io.sitter.serve;

import io.sitter.config.BadInputException;
import io.sitter.metrics.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Writes predictions where the user asked: a Parquet directory, or one CSV file with a header when
 * the path ends in {@code .csv} (rows in {@code index} order). The output is assembled in a hidden
 * temporary sibling and renamed into place only when complete, so a failed run leaves no partial
 * output and an existing one untouched.
 */
public final class PredictionOutput {
  private PredictionOutput() {}

  public static boolean isCsv(Path out) {
    return out.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv");
  }

  /**
   * @param overwrite replace an existing {@code out}; without it an existing path is bad input
   */
  public static void write(Dataset<Row> predictions, Path out, boolean overwrite) {
    Path target = out.toAbsolutePath().normalize();
    if (Files.exists(target) && !overwrite) {
      throw new BadInputException(out + " already exists (pass --overwrite to replace it)");
    }
    Path parent = target.getParent();
    Path tmp = parent.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
    try {
      Files.createDirectories(parent);
      if (isCsv(target)) {
        // One file is what a user asking for x.csv expects; a single sorted partition gives it.
        Path parts = parent.resolve(tmp.getFileName() + ".d");
        try {
          predictions.repartition(1).sortWithinPartitions("index")
              .write().mode(SaveMode.ErrorIfExists).option("header", "true").csv(parts.toString());
          Files.move(singlePart(parts), tmp);
        } finally {
          deleteRecursively(parts);
        }
      } else {
        predictions.write().mode(SaveMode.ErrorIfExists).parquet(tmp.toString());
      }
      replace(tmp, target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write predictions to " + out + ": " + e.getMessage(), e);
    } finally {
      deleteRecursively(tmp);
    }
  }

  private static Path singlePart(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).toList();
      if (parts.size() != 1) {
        throw new IOException("expected one CSV part file in " + dir + ", found " + parts.size());
      }
      return parts.get(0);
    }
  }

  /** Moves {@code fresh} onto {@code target}; an old target is moved aside first and deleted after. */
  private static void replace(Path fresh, Path target) throws IOException {
    if (!Files.exists(target)) {
      AtomicFiles.move(fresh, target);
      return;
    }
    Path old = target.resolveSibling("." + target.getFileName() + ".old-" + UUID.randomUUID());
    Files.move(target, old);
    try {
      AtomicFiles.move(fresh, target);
    } catch (IOException e) {
      Files.move(old, target); // put the user's previous output back
      throw e;
    }
    deleteRecursively(old);
  }

  static void deleteRecursively(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + p + ": " + e.getMessage(), e);
    }
  }
}
