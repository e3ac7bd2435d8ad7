package io.sitter.cli;

import static io.sitter.cli.SitterProcesses.assertSucceeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two Spark lines train the same model: {@code sitter train} through {@code scripts/sitter}
 * with SITTER_SPARK=4 and with SITTER_SPARK=3.5, each on its own cluster jar, on the same prepared
 * data with the same seed and partitions. Runs in the Spark 3.5 module, after both cluster jars are
 * built (failsafe names them as {@code sitter.jar.spark4} and {@code sitter.jar.spark3.5}).
 *
 * <p>Tolerance 1e-6 on every parameter, the one ClusterIT and YarnIT allow between a cluster and
 * local mode: what sitter computes (shards, minibatches, the averaging, BatchNorm's pooled
 * statistics) is its own Java and ND4J code, the same jar contents on both lines, merged in
 * partition order; Spark only moves the bytes. A difference above it would mean a line changed the
 * rows a partition sees or their order.
 */
class SparkLinesIT {
  private static final List<String> TRAINING = List.of("--partitions", "2", "--set", "train.epochs=2",
      "--set", "model.hiddenLayers=[32,32]", "--set", "train.averagingFrequency=2", "--no-checks");

  @TempDir Path dir;

  @Test
  void bothSparkLinesTrainTheSameParameters() throws Exception {
    Path csv = TestFiles.write(dir.resolve("blobs.csv"), TestFiles.blobsCsv(1200, 6, 3, 19, false));
    Path prep = dir.resolve("prep");
    assertSucceeded(sitter("4", "prep", "--input", csv.toString(), "--out", prep.toString()));

    float[] spark4 = train("4", prep);
    float[] spark35 = train("3.5", prep);
    assertEquals(spark4.length, spark35.length, "parameter count");
    double maxDiff = 0;
    for (int i = 0; i < spark4.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs((double) spark4[i] - spark35[i]));
    }
    System.out.printf("SparkLinesIT: %d parameters, largest |Spark 4 - Spark 3.5| = %.3g%n", spark4.length, maxDiff);
    assertTrue(maxDiff <= 1e-6, "largest parameter difference between the lines: " + maxDiff);
  }

  private float[] train(String line, Path prep) throws Exception {
    Path out = dir.resolve("run-spark" + line);
    List<String> args = new ArrayList<>(List.of("train", "--data", prep.toString(), "--out", out.toString()));
    args.addAll(TRAINING);
    assertSucceeded(sitter(line, args.toArray(String[]::new)));
    return SitterProcesses.params(SitterProcesses.runDirectory(out.toString(), new Configuration()));
  }

  private SitterProcesses.Result sitter(String line, String... args) throws Exception {
    String jar = System.getProperty("sitter.jar.spark" + line);
    assertTrue(jar != null && Files.isRegularFile(Path.of(jar)),
        "the Spark " + line + " cluster jar " + jar + " (built by mvn package of build/spark" + line + ")");
    return SitterProcesses.run(dir, SitterProcesses.launcher("local[2]", args), Map.of("SITTER_SPARK", line, "SITTER_JAR", jar));
  }
}
