package io.sitter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.GeneratedPrepData;
import io.sitter.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The files sitter reads back, damaged as a full disk, a killed copy or a stray editor leaves
 * them: every command that reads one exits 2 naming it, with no stack trace; and {@code --resume}
 * with a configuration that is not the saved one names the keys that differ.
 */
class CorruptFilesTest {
  @TempDir static Path shared;
  private static Path data;
  private static Path trained;

  @BeforeAll
  static void trainOnce() throws Exception {
    data = GeneratedPrepData.writeBlobs(TestSpark.session(), shared.resolve("data"), 120, 3, 3, 5, 80, 20);
    trained = shared.resolve("trained");
    CliRun r = run("train", "--data", data.toString(), "--out", trained.toString(), "--partitions", "1", "--no-checks",
        "--set", "model.hiddenLayers=[4]", "--set", "train.epochs=2", "--set", "train.minibatchSize=16");
    assertEquals(0, r.code(), r.err());
  }

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  private static Path copyOfRun(Path tmp) throws IOException {
    Path copy = tmp.resolve("run");
    try (Stream<Path> files = Files.walk(trained)) {
      for (Path f : files.toList()) {
        Path to = copy.resolve(trained.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    return copy;
  }

  /** How a file is damaged. */
  enum Damage {
    TRUNCATED {
      byte[] apply(byte[] b) {
        return Arrays.copyOf(b, b.length / 2);
      }
    },
    EMPTY {
      byte[] apply(byte[] b) {
        return new byte[0];
      }
    },
    RANDOM {
      byte[] apply(byte[] b) {
        byte[] r = new byte[Math.max(64, b.length)];
        new Random(7).nextBytes(r);
        return r;
      }
    };

    abstract byte[] apply(byte[] original);
  }

  static Stream<Arguments> damagedFiles() {
    Stream.Builder<Arguments> b = Stream.builder();
    for (Damage d : Damage.values()) {
      b.add(Arguments.of("model.zip", d, "predict"));
      b.add(Arguments.of("preprocessing.json", d, "predict"));
      b.add(Arguments.of("checkpoints/epoch-0002/model.zip", d, "resume"));
      b.add(Arguments.of("checkpoints/epoch-0002/state.json", d, "resume"));
      b.add(Arguments.of("config.json", d, "resume"));
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @MethodSource("damagedFiles")
  void aDamagedFileIsExit2NamingIt(String name, Damage damage, String command, @TempDir Path tmp) throws Exception {
    Path run = copyOfRun(tmp);
    Path file = run.resolve(name);
    byte[] damaged = damage.apply(Files.readAllBytes(file));
    Files.write(file, damaged);
    if (command.equals("resume")) {
      // As if killed after the final checkpoint, before training.json marked the run complete:
      // resume then reads the checkpoint (a complete run is not resumed, it is reported as such).
      Files.delete(run.resolve("training.json"));
    }
    CliRun r = command.equals("predict")
        ? run("predict", "--model", run.toString(), "--data", data.toString(), "--split", "test", "--out", tmp.resolve("p.csv").toString())
        : run("train", "--data", data.toString(), "--out", run.toString(), "--resume", "--partitions", "1", "--no-checks");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains(file.toString()), "names " + file + ": " + r.err());
    assertFalse(r.err().contains("\tat ") || r.err().contains("Exception:"), "no stack trace: " + r.err());
    assertFalse(Files.exists(tmp.resolve("p.csv")));
    assertTrue(Arrays.equals(damaged, Files.readAllBytes(file)), "the damaged file is left for inspection, not overwritten");
  }

  @Test
  void aDamagedSearchJsonIsExit2NamingIt(@TempDir Path tmp) throws Exception {
    Path space = Files.writeString(tmp.resolve("space.yaml"), "train.learningRate: loguniform(1e-3, 1e-2)\n");
    Path search = Files.createDirectories(tmp.resolve("search"));
    for (Damage d : Damage.values()) {
      Path file = search.resolve("search.json");
      Files.write(file, d.apply("{\"data\": \"x\", \"seed\": 42, \"stages\": \"[coarse]\"}\n".getBytes()));
      CliRun r = run("search", "--data", data.toString(), "--space", space.toString(), "--trials", "1", "--out", search.toString());
      assertEquals(2, r.code(), d + ": " + r.err());
      assertTrue(r.err().contains(file.toString()), d + ": " + r.err() + r.out());
      assertFalse(r.err().contains("\tat "), d + ": " + r.err());
    }
  }

  @Test
  void resumeWithADifferentConfigurationNamesTheKeys(@TempDir Path tmp) throws Exception {
    Path run = copyOfRun(tmp);
    byte[] config = Files.readAllBytes(run.resolve("config.json"));
    CliRun r = run("train", "--data", data.toString(), "--out", run.toString(), "--resume", "--partitions", "1", "--no-checks",
        "--set", "model.hiddenLayers=[4]", "--set", "train.epochs=3", "--set", "train.minibatchSize=8");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("train.epochs: 2 -> 3") && r.err().contains("train.minibatchSize: 16 -> 8"), r.err());
    assertFalse(r.err().contains("model.hiddenLayers"), "an equal key is not named: " + r.err());
    assertTrue(Arrays.equals(config, Files.readAllBytes(run.resolve("config.json"))));
    // The same configuration given again is no difference: the finished run resumes to its end.
    CliRun same = run("train", "--data", data.toString(), "--out", run.toString(), "--resume", "--partitions", "1", "--no-checks",
        "--set", "model.hiddenLayers=[4]", "--set", "train.epochs=2", "--set", "train.minibatchSize=16");
    assertEquals(0, same.code(), same.err());
  }
}
