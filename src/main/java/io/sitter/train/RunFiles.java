package io.sitter.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sitter.config.BadInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/** The run directory's files, each written to a temporary sibling and renamed into place. */
final class RunFiles {
  static final String CONFIG = "config.json";
  static final String MODEL = "model.zip";
  static final String PREPROCESSING = "preprocessing.json";
  static final String EVALUATION = "evaluation.json";
  static final String TRAINING = "training.json";
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private RunFiles() {}

  /**
   * Prepares {@code out} for a new run. An existing directory is refused unless {@code overwrite};
   * even then only an empty directory or one that looks like a sitter run (has config.json) is
   * deleted, so a mistyped {@code --out $HOME --overwrite} cannot wipe unrelated files.
   */
  static void prepareNew(Path out, boolean overwrite) {
    if (Files.exists(out)) {
      checkNew(out, overwrite);
      deleteRecursively(out);
    }
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new BadInputException("--out " + out + ": cannot create: " + e.getMessage(), e);
    }
  }

  /** The refusals of {@link #prepareNew}, without touching anything: to fail before long work. */
  static void checkNew(Path out, boolean overwrite) {
    if (Files.exists(out)) {
      if (!overwrite) {
        throw new BadInputException("--out " + out + " already exists (use --overwrite to replace it or --resume to continue it)");
      }
      if (!Files.isDirectory(out)) {
        throw new BadInputException("--out " + out + " exists and is not a directory");
      }
      if (!isEmpty(out) && !Files.isRegularFile(out.resolve(CONFIG))) {
        throw new BadInputException("--out " + out + " is not a sitter run directory (no " + CONFIG + "); refusing to overwrite it");
      }
    }
  }

  /** Checks that {@code out} holds nothing but {@code data} (a prep output written into the run). */
  static void requireOnly(Path out, Path data) {
    try (Stream<Path> s = Files.list(out)) {
      List<Path> other = s.filter(p -> !data.startsWith(p)).toList();
      if (!other.isEmpty()) {
        throw new BadInputException("--out " + out + " already holds " + other.get(0).getFileName()
            + " next to the prep output " + data);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void writeJson(Path file, JsonNode node) {
    try {
      writeAtomically(file, JSON.writeValueAsString(node) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void writeAtomically(Path file, String text) {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  static void copyAtomically(Path from, Path to) {
    Path tmp = to.resolveSibling("." + to.getFileName() + ".tmp");
    try {
      Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
    }
  }

  static void writeModel(Path file, MultiLayerNetwork net) {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    try {
      ModelSerializer.writeModel(net, tmp.toFile(), true);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  static void deleteRecursively(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> all = Files.walk(p)) {
      for (Path q : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(q);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + p, e);
    }
  }

  private static boolean isEmpty(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
