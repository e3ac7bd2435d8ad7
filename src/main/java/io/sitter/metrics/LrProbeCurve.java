package io.sitter.metrics;

import java.io.Serializable;
import java.util.List;

/**
 * The learning-rate range test's outcome, the {@code lrProbe} object of {@code checks.json}.
 *
 * @param rates the rate of each probe minibatch, growing exponentially
 * @param losses the raw minibatch loss at each rate (may hold NaN/Infinity once it explodes)
 * @param smoothed the exponentially smoothed, bias-corrected loss the judgement is made on
 * @param steepest the rate where the smoothed loss fell fastest per decade of rate
 * @param explodes the first rate where the loss became non-finite or exceeded 4x its minimum; null when it never did
 * @param suggested the rate the babysitter suggests
 */
public record LrProbeCurve(
    List<Double> rates, List<Double> losses, List<Double> smoothed, double steepest, Double explodes, double suggested)
    implements Serializable {

  public LrProbeCurve {
    rates = List.copyOf(rates);
    losses = List.copyOf(losses);
    smoothed = List.copyOf(smoothed);
    if (rates.size() != losses.size() || rates.size() != smoothed.size()) {
      throw new IllegalArgumentException("rates, losses and smoothed must have one entry per probe step, got "
          + rates.size() + ", " + losses.size() + ", " + smoothed.size());
    }
  }
}
