package io.sitter.babysit;

import static io.sitter.babysit.Numbers.format;
import static io.sitter.babysit.Numbers.percent;

import io.sitter.metrics.CheckResult;
import io.sitter.metrics.CheckResult.Status;
import io.sitter.metrics.LrProbeCurve;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Preflight check 4: the learning-rate range test (L. Smith, "Cyclical Learning Rates", 2017, as
 * fastai's {@code lr_find} runs it). The raw minibatch losses are smoothed and the explosion found
 * as {@link SmoothedLoss} says; the "steepest" rate is where the smoothed loss falls fastest per
 * decade of rate (read over half a decade), before the explosion.
 */
final class LrProbeCheck implements Check<PreflightEvidence> {
  static final String NAME = "learning_rate";
  /** Half the width, in decades of rate, of the window the slope of the smoothed loss is read over. */
  static final double SLOPE_HALF_WINDOW_DECADES = 0.25;
  /** A rate within this factor below the explosion is too close to it. */
  static final double EXPLOSION_MARGIN = 4.0;
  /** A rate this many times past the bottom of the curve... */
  static final double PAST_BOTTOM_FACTOR = 3.0;
  /** ...where the smoothed loss is this share above its best is too high. */
  static final double RISEN = 0.2;
  /** A rate this many times below the steepest one is suspect of being too low... */
  static final double TOO_LOW_FACTOR = 100.0;
  /** ...when the smoothed loss moved less than this share up to that rate. */
  static final double BARELY_CHANGES = 0.05;

  @Override
  public List<CheckResult> judge(PreflightEvidence e) {
    return List.of(judge(e.lrProbe(), e.config().train().learningRate()));
  }

  /** Smooths and reads the curve: steepest rate, explosion rate, suggestion. */
  static LrProbeCurve analyse(List<Double> rates, List<Double> losses) {
    if (rates.size() != losses.size() || rates.size() < 3) {
      throw new IllegalArgumentException("the learning-rate probe needs at least 3 (rate, loss) points, got "
          + rates.size() + " rates and " + losses.size() + " losses");
    }
    List<Double> smoothed = new ArrayList<>();
    SmoothedLoss reading = new SmoothedLoss();
    int explodeAt = -1;
    for (int i = 0; i < losses.size(); i++) {
      smoothed.add(reading.add(losses.get(i)));
      if (explodeAt < 0 && reading.exploded()) {
        explodeAt = i;
      }
    }
    int end = explodeAt < 0 ? losses.size() : explodeAt;
    // The slope is taken across half a decade of rate (a quarter each side), not between neighbours:
    // on Fashion-MNIST neighbouring steps are 0.03 decades apart, and minibatch noise of 0.1 in the
    // loss then reads as a slope of -3 per decade, steeper than the real descent (about -1).
    double decadesPerStep = Math.abs(Math.log10(rates.get(1)) - Math.log10(rates.get(0)));
    int half = (int) Math.max(1, Math.round(SLOPE_HALF_WINDOW_DECADES / Math.max(decadesPerStep, 1e-12)));
    half = Math.min(half, (end - 1) / 2);
    int steepestAt = 0;
    double steepestSlope = Double.POSITIVE_INFINITY;
    for (int i = half; half >= 1 && i + half < end; i++) {
      double slope = (smoothed.get(i + half) - smoothed.get(i - half))
          / (Math.log10(rates.get(i + half)) - Math.log10(rates.get(i - half)));
      if (slope < steepestSlope) {
        steepestSlope = slope;
        steepestAt = i;
      }
    }
    double steepest = rates.get(steepestAt);
    Double explodes = explodeAt < 0 ? null : rates.get(explodeAt);
    double suggested = Numbers.oneDigit(explodes == null ? steepest : Math.min(steepest, explodes / 10));
    return new LrProbeCurve(rates, losses, smoothed, steepest, explodes, suggested);
  }

  /** The verdict on the configured rate. */
  static CheckResult judge(LrProbeCurve curve, double learningRate) {
    double change = relativeChangeUpTo(curve, learningRate);
    Map<String, Double> v = Values.of("learningRate", learningRate, "steepest", curve.steepest(),
        "explodes", curve.explodes() == null ? Double.NaN : curve.explodes(), "suggested", curve.suggested(),
        "lossChangeUpToRate", change);
    String observed = "lr " + format(learningRate) + "; steepest descent at " + format(curve.steepest())
        + ", loss explodes " + (curve.explodes() == null ? "nowhere up to " + format(last(curve.rates()))
            : "at " + format(curve.explodes()));
    String expected = "below the explosion and not far below the steepest descent; suggested " + format(curve.suggested());
    if (curve.explodes() != null && learningRate >= curve.explodes()) {
      return CheckResult.preflight(NAME, Status.FAIL, observed, expected,
          "Learning rate looks too high: in the range test the loss explodes from lr " + format(curve.explodes())
              + " on, and train.learningRate is " + format(learningRate) + "; try lr " + format(curve.suggested()) + ".", v)
          .blaming(Cause.LR_TOO_HIGH.id());
    }
    // Close to the explosion, or past the bottom of the curve, is a reading of a 200-step test with
    // a rate that keeps growing, not of training: Adam at 3e-3 and SGD with momentum at 1e-2
    // train well from there (babysit-gallery). So these are notes on a passing verdict; the
    // monitors judge whether training then suffers.
    if (curve.explodes() != null && learningRate * EXPLOSION_MARGIN > curve.explodes()) {
      return CheckResult.preflight(NAME, Status.PASS, observed, expected,
          "Learning rate " + format(learningRate) + " is within " + format(EXPLOSION_MARGIN) + "x of where the loss "
              + "explodes in the range test (" + format(curve.explodes()) + "); the monitors watch for divergence.", v);
    }
    // BatchNorm nets often never explode in the test; their loss climbs back instead. A rate well
    // past the bottom of the curve, where the loss is clearly above its best, is too high as well.
    int bottom = bottom(curve);
    double atRate = smoothedAt(curve, learningRate);
    double best = curve.smoothed().get(bottom);
    if (learningRate > PAST_BOTTOM_FACTOR * curve.rates().get(bottom) && atRate > (1 + RISEN) * best) {
      v.put("bottom", curve.rates().get(bottom));
      return CheckResult.preflight(NAME, Status.PASS, observed, expected,
          "In the range test the loss is lowest at lr " + format(curve.rates().get(bottom)) + " and has climbed back to "
              + format(atRate) + " (best " + format(best) + ") by lr " + format(learningRate)
              + "; the monitors watch whether training suffers.", v);
    }
    if (learningRate * TOO_LOW_FACTOR < curve.steepest() && Math.abs(change) < BARELY_CHANGES) {
      return CheckResult.preflight(NAME, Status.WARN, observed, expected,
          "Learning rate looks too low: up to lr " + format(learningRate) + " the loss barely changes (by "
              + percent(Math.abs(change)) + "), it falls fastest at " + format(curve.steepest()) + "; try lr "
              + format(curve.suggested()) + ".", v).blaming(Cause.LR_TOO_LOW.id());
    }
    return CheckResult.preflight(NAME, Status.PASS, observed, expected,
        "Learning rate " + format(learningRate) + " is in the range where the loss falls.", v);
  }

  /** Index of the lowest smoothed loss before the explosion. */
  static int bottom(LrProbeCurve curve) {
    int end = curve.explodes() == null ? curve.rates().size() : curve.rates().indexOf(curve.explodes());
    int at = 0;
    for (int i = 1; i < Math.max(end, 1); i++) {
      if (curve.smoothed().get(i) < curve.smoothed().get(at)) {
        at = i;
      }
    }
    return at;
  }

  /** The smoothed loss at the last probe rate <= lr (the first one when lr is below them all). */
  static double smoothedAt(LrProbeCurve curve, double learningRate) {
    int at = 0;
    for (int i = 0; i < curve.rates().size() && curve.rates().get(i) <= learningRate; i++) {
      at = i;
    }
    return curve.smoothed().get(at);
  }

  /** (smoothed loss at the last rate <= lr) / (first smoothed loss) - 1; 0 when lr is below the first rate. */
  static double relativeChangeUpTo(LrProbeCurve curve, double learningRate) {
    int at = -1;
    for (int i = 0; i < curve.rates().size() && curve.rates().get(i) <= learningRate; i++) {
      at = i;
    }
    if (at < 0) {
      return 0;
    }
    double first = curve.smoothed().get(0);
    return curve.smoothed().get(at) / first - 1;
  }

  private static double last(List<Double> xs) {
    return xs.get(xs.size() - 1);
  }
}
