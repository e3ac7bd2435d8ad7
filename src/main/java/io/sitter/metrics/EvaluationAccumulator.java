package io.sitter.metrics;

import java.io.Serializable;

/**
 * Mergeable evaluation counts for a classifier: the confusion matrix, the sum of per-example
 * cross-entropy losses and the example count. Executors fill one per partition with {@link #add};
 * Spark's {@code treeAggregate} combines them with {@link #merge}, which is associative and
 * commutative (sums of counts; the loss sum in double), so the result does not depend on how the
 * data was partitioned beyond floating-point rounding of the loss.
 *
 * <p>Not thread-safe; shipped between JVMs by Kryo (fields are plain arrays and numbers).
 */
public final class EvaluationAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Probabilities are clamped to at least this before taking the log, so a confidently wrong
   * prediction gives a large finite loss, not infinity. The same epsilon DL4J's own MCXENT loss
   * clips softmax outputs with ({@code LossMCXENT.DEFAULT_SOFTMAX_CLIPPING_EPSILON = 1e-10}), so
   * our mean loss matches {@code MultiLayerNetwork.score} on the same data.
   */
  public static final double PROBABILITY_FLOOR = 1e-10;

  private long[][] confusion;
  private double lossSum;
  private long count;

  /** Kryo's instantiator. */
  @SuppressWarnings("unused")
  private EvaluationAccumulator() {}

  public EvaluationAccumulator(int numClasses) {
    if (numClasses < 2) {
      throw new IllegalArgumentException("numClasses must be >= 2, got " + numClasses);
    }
    this.confusion = new long[numClasses][numClasses];
  }

  public int numClasses() {
    return confusion.length;
  }

  /**
   * Adds one example.
   *
   * @param label the true class, in {@code [0, numClasses)}
   * @param probabilities the predicted class probabilities, {@code numClasses} of them starting at
   *     {@code offset}; the prediction is the first index of the largest one
   */
  public EvaluationAccumulator add(int label, float[] probabilities, int offset) {
    int n = confusion.length;
    if (label < 0 || label >= n) {
      throw new IllegalArgumentException("label must be in [0, " + n + "), got " + label);
    }
    int predicted = 0;
    float best = probabilities[offset];
    for (int c = 1; c < n; c++) {
      // A NaN probability never wins, so a NaN output row predicts class 0 and its loss is NaN.
      if (probabilities[offset + c] > best) {
        best = probabilities[offset + c];
        predicted = c;
      }
    }
    confusion[label][predicted]++;
    // Math.max propagates NaN, so a NaN output shows up as a NaN loss instead of being hidden.
    lossSum += -Math.log(Math.max(probabilities[offset + label], PROBABILITY_FLOOR));
    count++;
    return this;
  }

  /** Adds {@code other}'s counts into this one and returns this. */
  public EvaluationAccumulator merge(EvaluationAccumulator other) {
    if (other.confusion.length != confusion.length) {
      throw new IllegalArgumentException(
          "cannot merge evaluations of " + other.confusion.length + " and " + confusion.length + " classes");
    }
    for (int a = 0; a < confusion.length; a++) {
      for (int p = 0; p < confusion.length; p++) {
        confusion[a][p] += other.confusion[a][p];
      }
    }
    lossSum += other.lossSum;
    count += other.count;
    return this;
  }

  public long count() {
    return count;
  }

  public double lossSum() {
    return lossSum;
  }

  /** A copy of the counts, {@code [actual][predicted]}. */
  public long[][] confusion() {
    long[][] copy = new long[confusion.length][];
    for (int i = 0; i < confusion.length; i++) {
      copy[i] = confusion[i].clone();
    }
    return copy;
  }
}
