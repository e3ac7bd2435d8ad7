package io.sitter.train;

import io.sitter.config.SitterConfig;
import java.io.PrintWriter;
import org.apache.hadoop.fs.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One training run.
 *
 * @param data a prep output directory (train, optional val and test, preprocessing.json), a qualified
 *     Hadoop path ({@link io.sitter.storage.Storage#resolve})
 * @param out the run directory, a qualified Hadoop path
 * @param partitions P, the number of shards (and tasks per round)
 * @param mode what to do when {@code out} exists
 * @param provenance versions and other facts to record in config.json (sitter, dl4j, master, ...)
 * @param progress where the one-line-per-round progress goes
 */
public record TrainRequest(
    Path data,
    Path out,
    SitterConfig config,
    int partitions,
    OutputMode mode,
    List<RoundListener> listeners,
    Map<String, String> provenance,
    PrintWriter progress) {

  public TrainRequest {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(progress, "progress");
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
    }
    listeners = List.copyOf(listeners);
    provenance = Map.copyOf(provenance);
  }

  /** When the run directory exists: refuse, replace it, or continue from its latest checkpoint. */
  public enum OutputMode { NEW, OVERWRITE, RESUME }
}
