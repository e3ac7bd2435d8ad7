package io.sitter.search;

/**
 * One stage of a search: how many trials, how many epochs each.
 *
 * @param name {@code coarse} (sampled from the whole space) or {@code fine} (from the space narrowed
 *     around the best trials of the stage before)
 */
public record SearchStage(String name, int trials, int epochs) {
  public SearchStage {
    if (!name.equals("coarse") && !name.equals("fine")) {
      throw new IllegalArgumentException("--stages takes coarse and fine, got '" + name + "'");
    }
    if (trials < 1) {
      throw new IllegalArgumentException("stage " + name + " needs at least 1 trial, got " + trials);
    }
    if (epochs < 1) {
      throw new IllegalArgumentException("stage " + name + " needs at least 1 epoch, got " + epochs);
    }
  }
}
