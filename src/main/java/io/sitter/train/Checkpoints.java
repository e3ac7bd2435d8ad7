package io.sitter.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitter.config.BadInputException;
import io.sitter.storage.RunDirectory;
import java.util.Optional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * What a checkpoint holds ({@code RUN/checkpoints/epoch-NNNN/}: {@code model.zip} with the updater,
 * {@code state.json}) and how the network goes in and out of it; {@link RunDirectory} writes and
 * finds the files, so a crash leaves a complete checkpoint or none.
 */
final class Checkpoints {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where training stood when the checkpoint was written. */
  record State(int epoch, int round, int iteration, long examplesSeen, double initialLoss, int partitions,
      int averagingFrequency, long seed) {}

  /** A checkpoint read back. */
  record Restored(State state, MultiLayerNetwork network) {}

  private Checkpoints() {}

  static void write(RunDirectory run, State state, MultiLayerNetwork net) {
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
    run.writeCheckpoint(state.epoch(), s, out -> ModelSerializer.writeModel(net, out, true));
  }

  /** The checkpoint with the highest epoch, if any. */
  static Optional<Restored> latest(RunDirectory run) {
    return run.latestCheckpoint().map(c -> {
      JsonNode s = c.state();
      State state = new State(s.path("epoch").asInt(), s.path("round").asInt(), s.path("iteration").asInt(),
          s.path("examples_seen").asLong(), s.path("initial_loss").asDouble(), s.path("partitions").asInt(),
          s.path("averaging_frequency").asInt(), s.path("seed").asLong());
      try {
        return new Restored(state, run.readModel(c, in -> ModelSerializer.restoreMultiLayerNetwork(in, true)));
      } catch (RuntimeException e) {
        if (e instanceof BadInputException) {
          throw e;
        }
        throw new BadInputException("checkpoint " + c.model() + " cannot be read: " + e.getMessage(), e);
      }
    });
  }
}
