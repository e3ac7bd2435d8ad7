package io.sitter.serve;

import io.sitter.config.BadInputException;
import io.sitter.storage.CommittedFiles;
import io.sitter.storage.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Writes predictions where the user asked, on any Hadoop file system: a Parquet directory, or one
 * CSV file with a header when the path ends in {@code .csv} (rows in {@code index} order). The
 * output appears whole through {@link CommittedFiles}: on rename file systems it is assembled in a
 * hidden sibling and renamed into place (an existing one moved aside first), so a failed run leaves
 * no partial output and an existing one untouched; on object stores a Parquet directory is written
 * in place (Spark's {@code _SUCCESS} marks it complete) and the CSV file gets a commit marker.
 */
public final class PredictionOutput {
  private PredictionOutput() {}

  public static boolean isCsv(Path out) {
    return out.getName().toLowerCase(Locale.ROOT).endsWith(".csv");
  }

  /**
   * @param overwrite replace an existing {@code out}; without it an existing path is bad input
   */
  public static void write(Dataset<Row> predictions, Path out, boolean overwrite) {
    CommittedFiles files = Storage.of(predictions.sparkSession().sparkContext().hadoopConfiguration()).files();
    FileSystem fs = files.storage().fileSystem(out);
    try {
      files.recoverAside(out); // a predict killed while replacing out left the old one aside
      if (fs.exists(out) && !overwrite) {
        throw new BadInputException(out + " already exists (pass --overwrite to replace it)");
      }
      fs.mkdirs(out.getParent());
      if (isCsv(out)) {
        // One file is what a user asking for x.csv expects; a single sorted partition gives it.
        Path parts = new Path(out.getParent(), "." + out.getName() + ".tmp-" + UUID.randomUUID() + ".d");
        try {
          predictions.repartition(1).sortWithinPartitions("index")
              .write().mode(SaveMode.ErrorIfExists).option("header", "true").csv(parts.toString());
          Path part = singlePart(fs, parts);
          if (files.schemeOf(out) == CommittedFiles.Scheme.RENAME) {
            files.publish(part, out);
          } else {
            files.write(out, stream -> {
              try (InputStream in = fs.open(part)) {
                in.transferTo(stream);
              }
            });
          }
        } finally {
          files.deleteQuietly(parts);
        }
      } else {
        Path staged = files.staging(out);
        try {
          predictions.write().mode(SaveMode.ErrorIfExists).parquet(staged.toString());
          files.publish(staged, out);
        } finally {
          if (!staged.equals(out)) {
            files.deleteQuietly(staged);
          }
        }
      }
    } catch (IOException e) {
      throw io.sitter.storage.NoSpaceLeftException.of(e, out).map(UncheckedIOException.class::cast)
          .orElseGet(() -> new UncheckedIOException("cannot write predictions to " + out + ": " + e.getMessage(), e));
    } catch (Exception e) { // Spark's task failures (a sneaky SparkException): the executor's ENOSPC arrives as text
      var full = io.sitter.storage.NoSpaceLeftException.of(e, out);
      if (full.isPresent()) {
        throw full.get();
      }
      throw e;
    }
  }

  private static Path singlePart(FileSystem fs, Path dir) throws IOException {
    List<Path> parts = new ArrayList<>();
    for (FileStatus s : fs.listStatus(dir)) {
      if (s.getPath().getName().startsWith("part-")) {
        parts.add(s.getPath());
      }
    }
    if (parts.size() != 1) {
      throw new IOException("expected one CSV part file in " + dir + ", found " + parts.size());
    }
    return parts.get(0);
  }
}
