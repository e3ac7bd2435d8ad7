package io.sitter.shard;

/**
 * Seeds derived from the run's seed and a task's coordinates (epoch or round, partition), so a
 * re-run task draws exactly what the first attempt drew, and different tasks draw independently.
 */
public final class TaskSeeds {
  private TaskSeeds() {}

  /** SplitMix64's finalizer chained over the parts: well-spread seeds from small integers. */
  public static long mix(long seed, long... parts) {
    long h = splitMix(seed);
    for (long p : parts) {
      h = splitMix(h ^ splitMix(p + 0x632BE59BD9B4E019L));
    }
    return h;
  }

  private static long splitMix(long x) {
    long z = x + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
