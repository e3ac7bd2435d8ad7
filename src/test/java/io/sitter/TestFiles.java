package io.sitter;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Small input files the tests write themselves. */
public final class TestFiles {
  private TestFiles() {}

  /** A local test path as the qualified Hadoop path sitter's writers and readers take. */
  public static org.apache.hadoop.fs.Path hadoop(Path local) {
    return io.sitter.storage.Storage.local().resolve("test", local.toString());
  }

  /** Writes {@code text} to a local file (test fixtures), creating its directory. */
  public static Path writeString(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A {@code preprocessing.json} on local disk. */
  public static io.sitter.prep.FittedNormalizer normalizer(Path json) {
    try {
      return io.sitter.prep.FittedNormalizer.fromJson(Files.readString(json), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code checks.json} of a local run directory, read as sitter reads it. */
  public static io.sitter.metrics.ChecksReport checks(Path checksJson) {
    return runDir(checksJson.getParent()).checks().orElseThrow(() -> new AssertionError(checksJson + " is not committed"));
  }

  /** An {@code evaluation.json} on local disk. */
  public static io.sitter.metrics.EvaluationResult evaluation(Path json) {
    try {
      return io.sitter.metrics.EvaluationResult.fromJson(Files.readString(json), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code RUN/report.html} of a local run directory; the page's local path. */
  public static Path report(Path runDir) {
    return Path.of(io.sitter.report.ReportJob.write(io.sitter.storage.Storage.local(), hadoop(runDir)).toUri());
  }

  /** A local run directory, to read what a run wrote the way sitter reads it. */
  public static io.sitter.storage.RunDirectory runDir(Path local) {
    return io.sitter.storage.RunDirectory.at(io.sitter.storage.Storage.local(), hadoop(local));
  }

  public static Path write(Path file, List<String> lines) {
    try {
      Files.createDirectories(file.getParent());
      return Files.write(file, lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An IDX file of unsigned bytes: magic 0x000008NN, the dimensions, the bytes; gzipped when asked. */
  public static Path idx(Path file, int[] dims, byte[] data, boolean gzip) {
    try {
      Files.createDirectories(file.getParent());
      try (OutputStream raw = Files.newOutputStream(file);
          OutputStream maybeGz = gzip ? new GZIPOutputStream(raw) : raw;
          DataOutputStream out = new DataOutputStream(maybeGz)) {
        out.writeInt(0x00000800 | dims.length);
        for (int d : dims) {
          out.writeInt(d);
        }
        out.write(data);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Random image bytes and labels 0..classes-1 for an IDX pair. */
  public static byte[][] idxData(int n, int rows, int cols, int classes, long seed) {
    Random r = new Random(seed);
    byte[] pixels = new byte[n * rows * cols];
    r.nextBytes(pixels);
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) (i % classes);
    }
    return new byte[][] {pixels, labels};
  }

  /** A CSV of {@code n} rows of {@code d} features (feature j around j * 10) and a label 0..classes-1 last. */
  public static List<String> blobsCsv(int n, int d, int classes, long seed, boolean header) {
    Random r = new Random(seed);
    var lines = new java.util.ArrayList<String>();
    if (header) {
      StringBuilder h = new StringBuilder();
      for (int j = 0; j < d; j++) {
        h.append("f").append(j).append(',');
      }
      lines.add(h.append("label").toString());
    }
    for (int i = 0; i < n; i++) {
      int label = i % classes;
      StringBuilder s = new StringBuilder();
      for (int j = 0; j < d; j++) {
        s.append((float) (j * 10 + label + r.nextGaussian())).append(',');
      }
      lines.add(s.append(label).toString());
    }
    return lines;
  }
}
