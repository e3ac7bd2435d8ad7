package io.sitter.bench.stats;

/**
 * Per-feature mean and population standard deviation (divisor n), as one contestant computed
 * them. Arrays are the contestant's own: nothing shares them.
 */
record Moments(long count, double[] mean, double[] std) {
  Moments {
    if (mean.length != std.length) {
      throw new IllegalArgumentException("mean has " + mean.length + " features, std " + std.length);
    }
  }
}
