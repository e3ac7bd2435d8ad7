package io.sitter.train;

/**
 * Block momentum on the averaged update (BMUF, Chen and Huo, ICASSP 2016), the outer step of a
 * round. Plain parameter averaging moves the model by the mean of the partitions' displacements,
 * which is about one partition's K steps although P x K minibatches were fitted; block momentum
 * carries the round-to-round direction along, so the merged model moves by about 1 / (1 - momentum)
 * times that in steady state (Chen and Huo suggest momentum 1 - 1/P).
 *
 * <p>With theta the model, g the point the round started from (what was broadcast), and a the
 * example-weighted mean of the partitions' parameters after the round:
 *
 * <pre>
 *   G     = a - g
 *   v     = momentum * v + blockLearningRate * G
 *   theta = theta + v
 *   g     = theta + momentum * v   (Nesterov: the next round starts from the look-ahead point)
 *   g     = theta                  (classic)
 * </pre>
 *
 * BatchNorm running statistics are not weights (their merge is a pooled mean and variance, set
 * after this step) and are left as averaged: their indices are {@code skip}ped.
 *
 * <p>The velocity restarts at zero at every epoch's end, where the model written is theta: epoch
 * ends are where sitter validates and writes its checkpoints, which hold the network only, so a
 * resumed run continues exactly as an uninterrupted one, and the checkpointed model is never a
 * look-ahead point.
 */
final class BlockMomentum {
  private final double momentum;
  private final double blockLearningRate;
  private final boolean nesterov;
  private final boolean[] skip;
  private double[] velocity;
  private double[] theta;

  /**
   * @param skip indices of the flat parameter vector the step leaves as averaged (BatchNorm running
   *     statistics); its length is the vector's
   */
  BlockMomentum(double momentum, double blockLearningRate, boolean nesterov, boolean[] skip) {
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("block momentum must be in [0, 1), got " + momentum);
    }
    if (!(blockLearningRate > 0)) {
      throw new IllegalArgumentException("block learning rate must be > 0, got " + blockLearningRate);
    }
    this.momentum = momentum;
    this.blockLearningRate = blockLearningRate;
    this.nesterov = nesterov;
    this.skip = skip.clone();
  }

  /** Whether this step changes anything: momentum 0 with block learning rate 1 is plain averaging. */
  static boolean isIdentity(double momentum, double blockLearningRate) {
    return momentum == 0 && blockLearningRate == 1;
  }

  /**
   * Replaces {@code averaged} (the round's mean parameters) in place by the parameters the next
   * round starts from.
   *
   * @param start the parameters the round started from (the previous call's result, or the model
   *     at the start of training or of an epoch)
   * @param epochEnd the round closes an epoch: the result is theta and the velocity restarts
   */
  void step(float[] start, float[] averaged, boolean epochEnd) {
    int n = averaged.length;
    if (start.length != n || skip.length != n) {
      throw new IllegalArgumentException("vector lengths differ: start " + start.length + ", averaged " + n
          + ", skip mask " + skip.length);
    }
    if (velocity == null) { // first round of training or of an epoch: theta is where it started
      velocity = new double[n];
      theta = new double[n];
      for (int i = 0; i < n; i++) {
        theta[i] = start[i];
      }
    }
    for (int i = 0; i < n; i++) {
      if (skip[i]) {
        continue;
      }
      double v = momentum * velocity[i] + blockLearningRate * ((double) averaged[i] - start[i]);
      double t = theta[i] + v;
      velocity[i] = v;
      theta[i] = t;
      averaged[i] = (float) (nesterov && !epochEnd ? t + momentum * v : t);
    }
    if (epochEnd) {
      velocity = null;
      theta = null;
    }
  }
}
