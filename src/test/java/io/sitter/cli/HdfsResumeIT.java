package io.sitter.cli;

import static io.sitter.cli.SitterProcesses.assertSucceeded;
import static io.sitter.cli.SitterProcesses.launcher;
import static io.sitter.cli.SitterProcesses.params;
import static io.sitter.cli.SitterProcesses.rounds;
import static io.sitter.cli.SitterProcesses.runDirectory;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sitter.GeneratedPrepData;
import io.sitter.GeneratedPrepData.Examples;
import io.sitter.TestSpark;
import io.sitter.minicluster.MiniClusters;
import io.sitter.storage.RunDirectory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A driver killed in the middle of training whose run directory is on HDFS (MiniDFSCluster, one
 * namenode and two datanodes on 127.0.0.1) resumes from its last checkpoint there to the model an
 * undisturbed run trains from the same files. The killed process is {@code scripts/sitter} itself
 * (SIGKILL: no shutdown hook, files it was writing stay open and leased on the namenode).
 */
class HdfsResumeIT {
  /** As ClusterIT: 12 rounds, an epoch checkpoint every 4. */
  private static final List<String> TRAINING = List.of("--partitions", "2", "--set", "train.epochs=3",
      "--set", "model.hiddenLayers=[32,32]", "--set", "train.averagingFrequency=2", "--no-checks");

  @TempDir static Path dir;
  static MiniClusters hdfs;
  static String prep;
  static float[] reference;

  @BeforeAll
  static void clusterDataAndReference() throws Exception {
    hdfs = MiniClusters.hdfs(dir.resolve("cluster"));
    Examples[] s = GeneratedPrepData.split(GeneratedPrepData.blobs(2000, 8, 4, 3), 1600, 200);
    Path local = GeneratedPrepData.write(TestSpark.session(), dir.resolve("prep"), s[0], s[1], s[2]);
    hdfs.fileSystem().copyFromLocalFile(new org.apache.hadoop.fs.Path(local.toUri()), new org.apache.hadoop.fs.Path("/data/prep"));
    prep = hdfs.hdfs("/data/prep");
    // The undisturbed run, in this JVM on the tests' local[2] session: the same arithmetic as the launcher's.
    List<String> args = new ArrayList<>(List.of("train", "--data", local.toString(), "--out", dir.resolve("reference").toString()));
    args.addAll(TRAINING);
    StringWriter err = new StringWriter();
    assertEquals(0, SitterMain.execute(args.toArray(String[]::new), new PrintWriter(new StringWriter()), new PrintWriter(err)), err.toString());
    reference = params(runDirectory(dir.resolve("reference").toString(), hdfs.configuration()));
  }

  @AfterAll
  static void stop() {
    if (hdfs != null) {
      hdfs.close();
    }
  }

  @Test
  void aDriverKilledWithItsRunOnHdfsResumesToTheSameModel() throws Exception {
    String out = hdfs.hdfs("/runs/killed");
    RunDirectory run = runDirectory(out, hdfs.configuration());
    List<String> first = launcher("local[2]", "train", "--data", prep, "--out", out);
    first.addAll(TRAINING);
    SitterProcesses.Launched p = SitterProcesses.start(dir, first, Map.of());
    SitterProcesses.waitFor(() -> run.latestCheckpoint().isPresent() && rounds(run) >= 6, p.process(), "the epoch-1 checkpoint on HDFS");
    p.process().destroyForcibly().waitFor();
    assertFalse(run.has(RunDirectory.MODEL), "killed before the end");
    // Resume continues with the run's saved configuration, so no --set here.
    assertSucceeded(SitterProcesses.run(dir, launcher("local[2]", "train", "--data", prep, "--out", out, "--partitions", "2", "--resume"), Map.of()));
    assertArrayEquals(reference, params(run), 1e-6f);
    assertEquals(12, rounds(run), "every round once in metrics.jsonl");
  }
}
