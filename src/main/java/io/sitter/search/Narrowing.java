package io.sitter.search;

/** The fine stage's range around the best coarse values (in whatever space the caller works in). */
final class Narrowing {
  private Narrowing() {}

  /**
   * A range centred on the best value {@code best[0]}, 1.5 times as wide as the spread of the best
   * trials but at least half and at most {@code shrink} times the old width, slid back inside the
   * old range where it sticks out. The best value is always inside, and the range is narrower.
   *
   * @param best values of the best trials, best first (at least one)
   * @param shrink the largest width of the new range as a fraction of the old one, in (0, 1)
   */
  static double[] around(double[] best, double lo, double hi, double shrink) {
    if (best.length == 0) {
      throw new IllegalArgumentException("narrowing needs at least one best value");
    }
    double width = (hi - lo) * shrink;
    double min = best[0];
    double max = best[0];
    for (double b : best) {
      min = Math.min(min, b);
      max = Math.max(max, b);
    }
    double span = Math.min(width, Math.max((max - min) * 1.5, width / 2));
    double centre = best[0];
    double newLo = centre - span / 2;
    double newHi = centre + span / 2;
    // Keep inside the old range, sliding rather than clipping so the width is kept.
    if (newLo < lo) {
      newHi += lo - newLo;
      newLo = lo;
    }
    if (newHi > hi) {
      newLo -= newHi - hi;
      newHi = hi;
    }
    return new double[] {Math.max(lo, newLo), Math.min(hi, newHi)};
  }
}
