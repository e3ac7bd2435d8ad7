package io.sitter.bench.alternatives;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Test accuracy against training time, the one recorder every contestant uses: a point per epoch
 * (MLlib: per chunk of L-BFGS iterations) with the training seconds spent so far, evaluation time
 * left out. Time to an accuracy is the training clock at the first point that reaches it, so it
 * is quantised to the evaluation points (an epoch here).
 */
final class AccuracyTimeline {
  static final double[] TARGETS = {0.85, 0.88, 0.89};

  /** {@code step}: epoch (or L-BFGS iterations so far); {@code seconds}: training clock at that point. */
  record Point(int step, long examples, double seconds, double accuracy) {}

  private final List<Point> points = new ArrayList<>();

  void record(int step, long examples, double trainingSeconds, double accuracy) {
    if (!points.isEmpty() && trainingSeconds < points.get(points.size() - 1).seconds()) {
      throw new IllegalArgumentException("the training clock went backwards: " + trainingSeconds);
    }
    points.add(new Point(step, examples, trainingSeconds, accuracy));
  }

  List<Point> points() {
    return List.copyOf(points);
  }

  /** Training seconds at the first point whose accuracy is at least {@code target}; null if none reached it. */
  Double secondsTo(double target) {
    for (Point p : points) {
      if (p.accuracy() >= target) {
        return p.seconds();
      }
    }
    return null;
  }

  double finalAccuracy() {
    return points.isEmpty() ? Double.NaN : points.get(points.size() - 1).accuracy();
  }

  double bestAccuracy() {
    return points.stream().mapToDouble(Point::accuracy).max().orElse(Double.NaN);
  }

  double trainingSeconds() {
    return points.isEmpty() ? 0 : points.get(points.size() - 1).seconds();
  }

  long examples() {
    return points.isEmpty() ? 0 : points.get(points.size() - 1).examples();
  }

  /** The figures every contestant reports, into {@code o}. */
  void writeTo(ObjectNode o, ObjectMapper json) {
    o.put("training_seconds", trainingSeconds());
    o.put("examples", examples());
    o.put("samples_per_second", trainingSeconds() > 0 ? examples() / trainingSeconds() : Double.NaN);
    for (double t : TARGETS) {
      Double s = secondsTo(t);
      if (s == null) {
        o.putNull(secondsKey(t));
      } else {
        o.put(secondsKey(t), s);
      }
    }
    o.put("final_accuracy", finalAccuracy());
    o.put("best_accuracy", bestAccuracy());
    ArrayNode a = o.putArray("timeline");
    for (Point p : points) {
      a.addObject().put("step", p.step()).put("examples", p.examples()).put("seconds", p.seconds()).put("test_accuracy", p.accuracy());
    }
  }

  static String secondsKey(double target) {
    return String.format(java.util.Locale.ROOT, "seconds_to_%.2f", target);
  }
}
