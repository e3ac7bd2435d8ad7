package io.sitter.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.sitter.config.BadInputException;
import io.sitter.config.ConfigLoader;
import io.sitter.config.SitterConfig;
import io.sitter.TestFiles;
import io.sitter.storage.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchSpaceTest {
  @TempDir Path dir;

  private Path space(String yaml) throws Exception {
    Path f = dir.resolve("space.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  /** Kolmogorov-Smirnov statistic of the sample against the log-uniform CDF on [lo, hi). */
  private static double ksAgainstLogUniform(double[] xs, double lo, double hi) {
    double[] s = xs.clone();
    Arrays.sort(s);
    double d = 0;
    for (int i = 0; i < s.length; i++) {
      double f = (Math.log(s[i]) - Math.log(lo)) / (Math.log(hi) - Math.log(lo));
      d = Math.max(d, Math.max(Math.abs((i + 1.0) / s.length - f), Math.abs(f - (double) i / s.length)));
    }
    return d;
  }

  @Test
  void logUniformPassesAKolmogorovSmirnovTestAgainstTheAnalyticCdf() {
    Distribution d = new Distribution.LogUniform(1e-5, 1e-1);
    SplittableRandom r = new SplittableRandom(3);
    int n = 5000;
    double[] xs = new double[n];
    for (int i = 0; i < n; i++) {
      xs[i] = d.sample(r).asDouble();
      assertTrue(xs[i] >= 1e-5 && xs[i] < 1e-1, "bounds hold: " + xs[i]);
    }
    double critical = 1.95 / Math.sqrt(n); // alpha = 0.001
    assertTrue(ksAgainstLogUniform(xs, 1e-5, 1e-1) < critical);

    // The same test rejects a uniform sampler on the same range: it can fail.
    Distribution u = new Distribution.Uniform(1e-5, 1e-1);
    double[] us = new double[n];
    for (int i = 0; i < n; i++) {
      us[i] = u.sample(r).asDouble();
    }
    assertTrue(ksAgainstLogUniform(us, 1e-5, 1e-1) > 10 * critical);
  }

  @Test
  void logUniformPutsEqualMassInEachDecade() {
    Distribution d = new Distribution.LogUniform(1e-4, 1e0);
    SplittableRandom r = new SplittableRandom(11);
    int[] perDecade = new int[4];
    for (int i = 0; i < 8000; i++) {
      perDecade[(int) Math.floor(Math.log10(d.sample(r).asDouble()) + 4)]++;
    }
    for (int c : perDecade) {
      assertEquals(2000, c, 150, Arrays.toString(perDecade)); // binomial sd ~39
    }
  }

  @Test
  void readsEveryKindAndSamplesReproducibly() throws Exception {
    SearchSpace s = SearchSpace.read(Storage.local(), TestFiles.hadoop(space("""
        train.learningRate: loguniform(1e-4, 1e-1)
        model.dropout: uniform(0, 0.5)
        train.minibatchSize: int(32, 256)
        model.activation: choice([relu, tanh])
        model.hiddenLayers: choice([[256, 256], [512]])
        """)));
    assertEquals(List.of("train.learningRate", "model.dropout", "train.minibatchSize", "model.activation", "model.hiddenLayers"),
        List.copyOf(s.keys().keySet()));
    Map<String, JsonNode> a = s.sample(new SplittableRandom(42));
    Map<String, JsonNode> b = s.sample(new SplittableRandom(42));
    Map<String, JsonNode> c = s.sample(new SplittableRandom(43));
    assertEquals(a, b);
    assertNotEquals(a, c);
    // Every sample is a valid configuration.
    SitterConfig conf = ConfigLoader.defaults(SearchSpace.overrides(a));
    assertEquals(a.get("train.learningRate").asDouble(), conf.train().learningRate());
    assertEquals(a.get("train.minibatchSize").asInt(), conf.train().minibatchSize());
    assertTrue(conf.train().minibatchSize() >= 32 && conf.train().minibatchSize() <= 256);
  }

  @Test
  void aFileUriReadsWhatThePlainPathReads() throws Exception {
    Path file = space("train.learningRate: loguniform(1e-4, 1e-1)\nmodel.dropout: uniform(0, 0.5)\n");
    Storage storage = Storage.local();
    SearchSpace viaUri = SearchSpace.read(storage, storage.resolve("--space", "file://" + file));
    assertEquals(SearchSpace.read(Storage.local(), TestFiles.hadoop(file)).keys(), viaUri.keys());
  }

  @Test
  void fineRangesContainTheBestCoarseValueAndAreNarrower() {
    Distribution.LogUniform lr = new Distribution.LogUniform(1e-6, 1e0);
    SplittableRandom r = new SplittableRandom(5);
    for (int t = 0; t < 200; t++) {
      List<JsonNode> best = List.of(lr.sample(r), lr.sample(r), lr.sample(r));
      Distribution.LogUniform fine = (Distribution.LogUniform) lr.narrow(best, 0.5);
      double b = best.get(0).asDouble();
      assertTrue(fine.lo() <= b && b <= fine.hi(), fine + " must contain " + b);
      assertTrue(Math.log(fine.hi() / fine.lo()) < Math.log(lr.hi() / lr.lo()), "narrower in log space");
      assertTrue(fine.lo() >= lr.lo() && fine.hi() <= lr.hi(), "inside the coarse range");
    }
    Distribution.Uniform drop = new Distribution.Uniform(0, 0.5);
    Distribution.Uniform fineDrop = (Distribution.Uniform) drop.narrow(List.of(DoubleNode.valueOf(0.49)), 0.5);
    assertTrue(fineDrop.hi() - fineDrop.lo() < 0.5 && fineDrop.lo() <= 0.49 && fineDrop.hi() >= 0.49);
    Distribution.Choice act = new Distribution.Choice(List.of(TextNode.valueOf("relu"), TextNode.valueOf("tanh"), TextNode.valueOf("elu")));
    assertEquals(List.of(TextNode.valueOf("relu"), TextNode.valueOf("elu")),
        ((Distribution.Choice) act.narrow(List.of(TextNode.valueOf("elu"), TextNode.valueOf("relu")), 0.5)).options());
    Distribution.IntRange mb = new Distribution.IntRange(16, 512);
    Distribution.IntRange fineMb = (Distribution.IntRange) mb.narrow(List.of(com.fasterxml.jackson.databind.node.IntNode.valueOf(500)), 0.5);
    assertTrue(fineMb.lo() <= 500 && fineMb.hi() >= 500 && fineMb.hi() - fineMb.lo() < 512 - 16);
  }

  @Test
  void badSpaceFilesNameTheKeyAndTheProblem() throws Exception {
    String[][] cases = {
      {"train.learnignRate: loguniform(1e-4, 1e-1)\n", "train.learnignRate"},
      {"train.learningRate: loguniform(1e-1, 1e-4)\n", "0 < lo < hi"},
      {"train.learningRate: loguniform(0, 1e-4)\n", "0 < lo < hi"},
      {"model.dropout: uniform(0.5, 0.5)\n", "lo < hi"},
      {"model.activation: choice([])\n", "at least one option"},
      {"model.activation: choice([relu, softplus])\n", "softplus"},
      {"train.minibatchSize: int(0, 10)\n", "train.minibatchSize must be >= 1"},
      {"train.epochs: gaussian(1, 2)\n", "expected loguniform"},
      {"train.learningRate: loguniform(1e-4)\n", "two numbers"},
    };
    for (String[] c : cases) {
      BadInputException e = assertThrows(BadInputException.class, () -> SearchSpace.read(Storage.local(), TestFiles.hadoop(space(c[0]))), c[0]);
      assertTrue(e.getMessage().contains(c[1]) && e.getMessage().contains("space.yaml"), c[0] + " -> " + e.getMessage());
    }
    assertThrows(BadInputException.class, () -> SearchSpace.read(Storage.local(), TestFiles.hadoop(dir.resolve("missing.yaml"))));
    assertThrows(BadInputException.class, () -> SearchSpace.read(Storage.local(), TestFiles.hadoop(space(""))));
  }

  /** The example spaces the README points users to: each reads, and every sample is a valid configuration. */
  @Test
  void theExampleSpacesUnderConfReadAndSampleValidConfigurations() throws Exception {
    Path conf = Path.of(System.getProperty("user.dir"), "conf", "search");
    List<Path> files;
    try (var s = Files.list(conf)) {
      files = s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertTrue(files.size() >= 3, "example spaces in " + conf + ": " + files);
    for (Path f : files) {
      SearchSpace space = SearchSpace.read(Storage.local(), TestFiles.hadoop(f));
      SplittableRandom random = new SplittableRandom(7);
      for (int i = 0; i < 50; i++) {
        Map<String, JsonNode> values = space.sample(random);
        assertEquals(space.keys().keySet(), values.keySet(), f.toString());
        SitterConfig c = ConfigLoader.defaults(SearchSpace.overrides(values));
        assertTrue(c.train().learningRate() > 0, f.toString());
      }
    }
  }
}
