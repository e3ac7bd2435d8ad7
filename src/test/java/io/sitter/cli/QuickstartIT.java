package io.sitter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.TestFiles;
import io.sitter.metrics.EvaluationResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/quickstart} end to end through the packaged jar, on four tiny IDX files standing
 * in for Fashion-MNIST (so nothing is downloaded) and a tiny network.
 */
class QuickstartIT {
  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  private Result quickstart(Map<String, String> env, String... args) throws IOException, InterruptedException {
    Path base = Path.of(System.getProperty("sitter.basedir", "."));
    List<String> command = new ArrayList<>(List.of(base.resolve("scripts/quickstart").toString()));
    command.addAll(List.of(args));
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    // A bound, not a speed target: a hung script must not hang the build.
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("scripts/quickstart did not finish in 10 minutes");
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  private Path tinyFashionMnist() {
    Path data = dir.resolve("fashion-mnist");
    byte[][] train = TestFiles.idxData(80, 4, 4, 2, 3);
    byte[][] test = TestFiles.idxData(30, 4, 4, 2, 4);
    TestFiles.idx(data.resolve("train-images-idx3-ubyte.gz"), new int[] {80, 4, 4}, train[0], true);
    TestFiles.idx(data.resolve("train-labels-idx1-ubyte.gz"), new int[] {80}, train[1], true);
    TestFiles.idx(data.resolve("t10k-images-idx3-ubyte.gz"), new int[] {30, 4, 4}, test[0], true);
    TestFiles.idx(data.resolve("t10k-labels-idx1-ubyte.gz"), new int[] {30}, test[1], true);
    return data;
  }

  @Test
  void runsPrepTrainEvaluateAndPrintsTheTestAccuracyAndRunDirectory() throws Exception {
    Path data = tinyFashionMnist();
    Path run = dir.resolve("run");
    Result r = quickstart(Map.of(), "--data-dir", data.toString(), "--out", run.toString(),
        "--", "--set", "model.hiddenLayers=[8]", "--set", "train.epochs=1", "--set", "train.minibatchSize=16");
    assertEquals(0, r.code(), r.out() + r.err());
    EvaluationResult e = TestFiles.evaluation(run.resolve("evaluation.json"));
    assertEquals(30, e.count(), "evaluated on the official test set");
    assertTrue(r.out().contains("Fashion-MNIST test accuracy: " + e.accuracy())
        || r.out().contains(String.format(Locale.ROOT, "test accuracy: %.4f", e.accuracy())), r.out());
    assertTrue(r.out().contains("run directory: " + run), r.out());
    assertTrue(r.err().contains("using Fashion-MNIST in " + data), "no fetch when the files are there: " + r.err());
  }

  @Test
  void takesTheDataDirectoryFromTheEnvironmentAndRefusesAnExistingRun() throws Exception {
    Path data = tinyFashionMnist();
    Path run = Files.createDirectories(dir.resolve("taken"));
    Result r = quickstart(Map.of("SITTER_DATA_DIR", data.toString()), "--out", run.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("using Fashion-MNIST in " + data), r.err());
    assertTrue(r.err().contains("already exists"), r.err());
  }
}
