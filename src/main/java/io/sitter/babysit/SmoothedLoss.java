package io.sitter.babysit;

/**
 * The range test's running reading of its loss: a bias-corrected exponential moving average and
 * the explosion criterion, the first step whose raw loss is not finite or whose smoothed loss
 * exceeds 4x the best smoothed loss so far (fastai's {@code lr_find}). Used by the executor to stop
 * the test and by the driver to read the curve, so both agree on where it exploded.
 *
 * <p>{@code beta = 0.9}, not fastai's 0.98: a 50-step memory lags by a large factor of rate on a
 * sweep of a few hundred steps; with plain SGD on blobs the raw loss went from 0.4 to 17 (the
 * clipped maximum) while a 0.98-average stayed below 3x its best and never called the explosion.
 */
final class SmoothedLoss {
  static final double BETA = 0.9;
  static final double EXPLOSION_FACTOR = 4.0;

  private double average;
  private int steps;
  private double best = Double.POSITIVE_INFINITY;
  private boolean exploded;

  /** Adds one raw loss and returns the smoothed loss after it. */
  double add(double loss) {
    average = BETA * average + (1 - BETA) * loss;
    steps++;
    double smoothed = average / (1 - Math.pow(BETA, steps));
    if (!Double.isFinite(loss) || smoothed > EXPLOSION_FACTOR * best) {
      exploded = true;
    }
    if (Double.isFinite(smoothed)) {
      best = Math.min(best, smoothed);
    }
    return smoothed;
  }

  /** True once some step met the explosion criterion. */
  boolean exploded() {
    return exploded;
  }
}
