package io.sitter.search;

import io.sitter.config.SitterConfig;
import org.apache.hadoop.fs.Path;
import java.util.List;

/**
 * A whole search.
 *
 * @param data a prep output directory (train and val splits)
 * @param base the user's configuration; sampled values override it
 * @param top how many of a stage's best trials the next stage's ranges are narrowed around
 * @param haltFactor successive halving: after its first epoch a trial whose validation loss exceeds
 *     this multiple of the best first-epoch validation loss of its stage is stopped
 * @param shrink the largest width of a fine range as a fraction of the coarse one
 */
public record SearchRequest(
    Path data,
    SearchSpace space,
    SitterConfig base,
    List<SearchStage> stages,
    SearchMode mode,
    int top,
    double haltFactor,
    double shrink,
    long seed,
    Path out) {
  public SearchRequest {
    stages = List.copyOf(stages);
    if (stages.isEmpty()) {
      throw new IllegalArgumentException("--stages must name at least one stage");
    }
    if (!stages.get(0).name().equals("coarse")) {
      throw new IllegalArgumentException("the first stage must be coarse, got " + stages.get(0).name());
    }
    if (top < 1) {
      throw new IllegalArgumentException("--top must be >= 1, got " + top);
    }
    if (!(haltFactor > 1)) {
      throw new IllegalArgumentException("--halt-factor must be > 1, got " + haltFactor);
    }
    if (!(shrink > 0 && shrink < 1)) {
      throw new IllegalArgumentException("--shrink must be in (0, 1), got " + shrink);
    }
  }
}
