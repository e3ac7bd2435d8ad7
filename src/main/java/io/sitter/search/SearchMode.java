package io.sitter.search;

import java.util.Locale;

/**
 * How a search uses the cluster. {@code TRIALS}: many small trials at once, one per task, each
 * training on the executor's own copy of the data; the efficient choice for small nets, where DL4J's
 * own Spark guide says distributed training of ~1 ms iterations is no faster than one machine.
 * {@code DATA}: each trial is a distributed training run, for data too big for one executor.
 */
public enum SearchMode {
  AUTO, TRIALS, DATA;

  /** Above this, a copy per executor is too much and {@code AUTO} picks {@code DATA}. */
  static final long TRIALS_MODE_MAX_BYTES = 256L << 20;

  public static SearchMode parse(String s) {
    for (SearchMode m : values()) {
      if (m.name().equalsIgnoreCase(s.trim())) {
        return m;
      }
    }
    throw new IllegalArgumentException("--mode must be one of auto, trials, data, got '" + s + "'");
  }

  /** The mode {@code AUTO} resolves to for data of this size. */
  static SearchMode forSize(long bytes) {
    return bytes <= TRIALS_MODE_MAX_BYTES ? TRIALS : DATA;
  }

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
