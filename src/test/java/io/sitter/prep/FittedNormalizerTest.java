package io.sitter.prep;

import io.sitter.TestFiles;
import io.sitter.storage.PrepDirectory;
import io.sitter.storage.Storage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sitter.config.BadInputException;
import io.sitter.stats.FeatureStatistics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transform worked by hand for each mode, and preprocessing.json pinned as a golden file. */
class FittedNormalizerTest {
  @TempDir Path dir;

  /** Raw training statistics: feature 0 mean 1 std 0.5, feature 1 constant 2. */
  private static final FeatureStatistics STATS =
      new FeatureStatistics(4, new double[] {1, 2}, new double[] {0.5, 0}, new double[] {0.25, 2}, new double[] {1.75, 2});

  private static final FittedNormalizer.Provenance PROVENANCE =
      new FittedNormalizer.Provenance("/data/x.csv", "csv", "last", Map.of("train", 4L), 42, List.of(1.0, 0.0, 0.0), true);

  private static FittedNormalizer fit(NormalizationMode mode) {
    return FittedNormalizer.fit(STATS, mode, 2.0, List.of("a", "b"), true, PROVENANCE);
  }

  @Test
  void eachModeByHand() {
    double[] x = {3, 5};
    // scale 2: x*scale = (6, 10); scaled means (2, 4), scaled stds (1, 0), pixel mean (2 + 4) / 2 = 3.
    assertArrayEquals(new float[] {6, 10}, fit(NormalizationMode.NONE).apply(x), 0f);
    assertArrayEquals(new float[] {4, 6}, fit(NormalizationMode.CENTER).apply(x), 0f);
    assertArrayEquals(new float[] {4, 6}, fit(NormalizationMode.STANDARDIZE).apply(x), 0f, "std 1, and the constant feature divides by 1");
    assertArrayEquals(new float[] {3, 7}, fit(NormalizationMode.PIXEL_MEAN).apply(x), 0f);
    FittedNormalizer wide = FittedNormalizer.fit(
        new FeatureStatistics(2, new double[] {10}, new double[] {4}, new double[] {6}, new double[] {14}),
        NormalizationMode.STANDARDIZE, 1.0, List.of("0"), false, PROVENANCE);
    assertArrayEquals(new float[] {-1.5f}, wide.apply(new double[] {4}), 0f);
    assertThrows(BadInputException.class, () -> wide.apply(new double[] {1, 2}));
    // A value float32 holds that normalizes beyond it (std 1e-3 here) is refused, not made infinite.
    FittedNormalizer narrow = FittedNormalizer.fit(
        new FeatureStatistics(2, new double[] {0}, new double[] {1e-3}, new double[] {-1}, new double[] {1}),
        NormalizationMode.STANDARDIZE, 1.0, List.of("0"), false, PROVENANCE);
    assertArrayEquals(new float[] {(float) (1e31 / 1e-3)}, narrow.apply(new double[] {1e31}), 0f);
    BadInputException beyond = assertThrows(BadInputException.class, () -> narrow.apply(new double[] {3e38}));
    assertTrue(beyond.getMessage().contains("feature 0") && beyond.getMessage().contains("float32"), beyond.getMessage());
    // Normalized in double, then rounded once: 1 + 2^-30 survives scale and shift that float32 arithmetic would lose.
    FittedNormalizer shifted = FittedNormalizer.fit(
        new FeatureStatistics(2, new double[] {1}, new double[] {1}, new double[] {1}, new double[] {1}),
        NormalizationMode.CENTER, 1.0, List.of("0"), false, PROVENANCE);
    assertArrayEquals(new float[] {(float) Math.scalb(1.0, -30)}, shifted.apply(new double[] {1 + Math.scalb(1.0, -30)}), 0f);
  }

  @Test
  void preprocessingJsonGoldenFile() throws Exception {
    Path json = dir.resolve("preprocessing.json");
    TestFiles.writeString(json, fit(NormalizationMode.STANDARDIZE).toJson());
    String expected =
        "{\"schemaVersion\":1,\"input\":\"/data/x.csv\",\"format\":\"csv\",\"labelColumn\":\"last\",\"mode\":\"standardize\","
            + "\"scale\":2.0,\"numFeatures\":2,\"numClasses\":2,\"classes\":[\"a\",\"b\"],\"labelsWereStrings\":true,"
            + "\"mean\":[2.0,4.0],\"std\":[1.0,0.0],\"min\":[0.5,4.0],\"max\":[3.5,4.0],\"pixelMean\":3.0,"
            + "\"zeroVarianceFeatures\":[1],\"counts\":{\"train\":4},\"seed\":42,\"split\":[1.0,0.0,0.0],\"stratify\":true}";
    ObjectMapper m = new ObjectMapper();
    assertEquals(m.readTree(expected), m.readTree(json.toFile()));
    assertEquals(List.of(), Files.list(dir).filter(p -> p.getFileName().toString().startsWith(".")).toList());
    FittedNormalizer back = TestFiles.normalizer(json);
    assertArrayEquals(new float[] {4, 6}, back.apply(new double[] {3, 5}), 0f);
    assertEquals(NormalizationMode.STANDARDIZE, back.mode());
    assertEquals(List.of("a", "b"), back.classes());
  }

  @Test
  void badFilesAreBadInputNamingTheFile() throws Exception {
    PrepDirectory missing = PrepDirectory.at(Storage.local(), TestFiles.hadoop(dir.resolve("none")));
    String message = assertThrows(BadInputException.class, () -> missing.preprocessing("--data")).getMessage();
    assertTrue(message.contains("--data") && message.contains("none") && message.contains("preprocessing.json is missing"), message);
    Path future = dir.resolve("future.json");
    TestFiles.writeString(future, fit(NormalizationMode.CENTER).toJson());
    Files.writeString(future, Files.readString(future).replace("\"schemaVersion\" : 1", "\"schemaVersion\" : 2"));
    BadInputException e = assertThrows(BadInputException.class, () -> TestFiles.normalizer(future));
    assertTrue(e.getMessage().contains("future.json") && e.getMessage().contains("schemaVersion 2"), e.getMessage());
    Path ragged = dir.resolve("ragged.json");
    TestFiles.writeString(ragged, fit(NormalizationMode.CENTER).toJson());
    Files.writeString(ragged, Files.readString(ragged).replace("\"std\" : [ 1.0, 0.0 ]", "\"std\" : [ 1.0 ]"));
    e = assertThrows(BadInputException.class, () -> TestFiles.normalizer(ragged));
    assertTrue(e.getMessage().contains("ragged.json") && e.getMessage().contains("numFeatures"), e.getMessage());
  }
}
