package io.sitter.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitter.config.BadInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * {@code RUN/checkpoints/epoch-NNNN/} with {@code model.zip} (ModelSerializer, updater included)
 * and {@code state.json}. Written into a hidden temporary sibling and renamed, so a crash leaves
 * either a complete checkpoint or none.
 */
final class Checkpoints {
  static final String DIR = "checkpoints";
  private static final Pattern NAME = Pattern.compile("epoch-(\\d{4,})");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Where training stood when the checkpoint was written. */
  record State(int epoch, int round, int iteration, long examplesSeen, double initialLoss, int partitions,
      int averagingFrequency, long seed) {}

  /** A checkpoint read back. */
  record Restored(State state, MultiLayerNetwork network) {}

  private Checkpoints() {}

  static void write(Path runDir, State state, MultiLayerNetwork net) {
    Path root = runDir.resolve(DIR);
    String name = String.format("epoch-%04d", state.epoch());
    Path target = root.resolve(name);
    Path tmp = root.resolve("." + name + ".tmp");
    try {
      Files.createDirectories(root);
      RunFiles.deleteRecursively(tmp);
      Files.createDirectories(tmp);
      ModelSerializer.writeModel(net, tmp.resolve("model.zip").toFile(), true);
      ObjectNode s = JSON.createObjectNode();
      s.put("schemaVersion", 1);
      s.put("epoch", state.epoch());
      s.put("round", state.round());
      s.put("iteration", state.iteration());
      s.put("examples_seen", state.examplesSeen());
      s.put("initial_loss", state.initialLoss());
      s.put("partitions", state.partitions());
      s.put("averaging_frequency", state.averagingFrequency());
      s.put("seed", state.seed());
      Files.writeString(tmp.resolve("state.json"), JSON.writeValueAsString(s));
      RunFiles.deleteRecursively(target); // a resumed run redoing an epoch replaces its checkpoint
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint " + target, e);
    }
  }

  /** The checkpoint with the highest epoch, if any. */
  static Optional<Restored> latest(Path runDir) {
    Path root = runDir.resolve(DIR);
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    Optional<Path> last;
    try (Stream<Path> dirs = Files.list(root)) {
      last = dirs.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
          .filter(p -> Files.isRegularFile(p.resolve("state.json")) && Files.isRegularFile(p.resolve("model.zip")))
          .max(Comparator.comparingInt(Checkpoints::epochOf));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (last.isEmpty()) {
      return Optional.empty();
    }
    Path dir = last.get();
    try {
      JsonNode s = JSON.readTree(dir.resolve("state.json").toFile());
      State state = new State(s.path("epoch").asInt(), s.path("round").asInt(), s.path("iteration").asInt(),
          s.path("examples_seen").asLong(), s.path("initial_loss").asDouble(), s.path("partitions").asInt(),
          s.path("averaging_frequency").asInt(), s.path("seed").asLong());
      MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(dir.resolve("model.zip").toFile(), true);
      return Optional.of(new Restored(state, net));
    } catch (IOException e) {
      throw new BadInputException("checkpoint " + dir + " cannot be read: " + e.getMessage(), e);
    }
  }

  private static int epochOf(Path p) {
    Matcher m = NAME.matcher(p.getFileName().toString());
    return m.matches() ? Integer.parseInt(m.group(1)) : -1;
  }
}
