package io.sitter.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import java.io.Serializable;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How one configuration key is sampled. Values are JSON nodes because they become {@code --set}
 * overrides of the config (a choice may be a list, e.g. layer sizes).
 */
sealed interface Distribution extends Serializable
    permits Distribution.LogUniform, Distribution.Uniform, Distribution.IntRange, Distribution.Choice {

  JsonNode sample(SplittableRandom random);

  /**
   * A narrower distribution around {@code best}, the values of the best trials of the previous
   * stage (best first). The result always contains {@code best.get(0)}.
   */
  Distribution narrow(List<JsonNode> best, double shrink);

  /** The values at the ends of the range, or every option: what the config must accept. */
  List<JsonNode> extremes();

  /** The YAML spelling, as in the space file. */
  String describe();

  /**
   * Log-uniform on [lo, hi): exp(U(ln lo, ln hi)). Learning rates and regularization strengths act
   * multiplicatively, so CS231n samples them in log space; a uniform draw would spend nearly all
   * trials in the top decade.
   */
  record LogUniform(double lo, double hi) implements Distribution {
    public LogUniform {
      if (!(lo > 0 && hi > lo && Double.isFinite(hi))) {
        throw new IllegalArgumentException("loguniform(lo, hi) needs 0 < lo < hi, got (" + lo + ", " + hi + ")");
      }
    }

    @Override
    public JsonNode sample(SplittableRandom random) {
      return DoubleNode.valueOf(Math.exp(Math.log(lo) + random.nextDouble() * (Math.log(hi) - Math.log(lo))));
    }

    @Override
    public Distribution narrow(List<JsonNode> best, double shrink) {
      double[] range = Narrowing.around(best.stream().mapToDouble(n -> Math.log(n.asDouble())).toArray(),
          Math.log(lo), Math.log(hi), shrink);
      return new LogUniform(Math.exp(range[0]), Math.exp(range[1]));
    }

    @Override
    public List<JsonNode> extremes() {
      return List.of(DoubleNode.valueOf(lo), DoubleNode.valueOf(hi));
    }

    @Override
    public String describe() {
      return "loguniform(" + lo + ", " + hi + ")";
    }
  }

  /** Uniform on [lo, hi). */
  record Uniform(double lo, double hi) implements Distribution {
    public Uniform {
      if (!(hi > lo && Double.isFinite(lo) && Double.isFinite(hi))) {
        throw new IllegalArgumentException("uniform(lo, hi) needs lo < hi, got (" + lo + ", " + hi + ")");
      }
    }

    @Override
    public JsonNode sample(SplittableRandom random) {
      return DoubleNode.valueOf(lo + random.nextDouble() * (hi - lo));
    }

    @Override
    public Distribution narrow(List<JsonNode> best, double shrink) {
      double[] range = Narrowing.around(best.stream().mapToDouble(JsonNode::asDouble).toArray(), lo, hi, shrink);
      return new Uniform(range[0], range[1]);
    }

    @Override
    public List<JsonNode> extremes() {
      return List.of(DoubleNode.valueOf(lo), DoubleNode.valueOf(hi));
    }

    @Override
    public String describe() {
      return "uniform(" + lo + ", " + hi + ")";
    }
  }

  /** Integers lo..hi, both included. */
  record IntRange(int lo, int hi) implements Distribution {
    public IntRange {
      if (hi <= lo) {
        throw new IllegalArgumentException("int(lo, hi) needs lo < hi, got (" + lo + ", " + hi + ")");
      }
    }

    @Override
    public JsonNode sample(SplittableRandom random) {
      return IntNode.valueOf(random.nextInt(lo, hi + 1));
    }

    @Override
    public Distribution narrow(List<JsonNode> best, double shrink) {
      double[] range = Narrowing.around(best.stream().mapToDouble(JsonNode::asDouble).toArray(), lo, hi + 1, shrink);
      int newLo = (int) Math.floor(range[0]);
      int newHi = Math.max(newLo + 1, (int) Math.ceil(range[1]) - 1);
      int b = best.get(0).asInt();
      newLo = Math.min(newLo, b);
      newHi = Math.max(newHi, b);
      if (newHi - newLo >= hi - lo) {
        return this; // too few integers to narrow further
      }
      return new IntRange(newLo, newHi);
    }

    @Override
    public List<JsonNode> extremes() {
      return List.of(IntNode.valueOf(lo), IntNode.valueOf(hi));
    }

    @Override
    public String describe() {
      return "int(" + lo + ", " + hi + ")";
    }
  }

  /** One of a list of values, equally likely. */
  record Choice(List<JsonNode> options) implements Distribution {
    public Choice {
      if (options == null || options.isEmpty()) {
        throw new IllegalArgumentException("choice([...]) needs at least one option");
      }
      options = List.copyOf(options);
    }

    @Override
    public JsonNode sample(SplittableRandom random) {
      return options.get(random.nextInt(options.size()));
    }

    /** Keeps the options the best trials used, in their original order. */
    @Override
    public Distribution narrow(List<JsonNode> best, double shrink) {
      List<JsonNode> kept = options.stream().filter(best::contains).toList();
      return kept.isEmpty() ? this : new Choice(kept);
    }

    @Override
    public List<JsonNode> extremes() {
      return options;
    }

    @Override
    public String describe() {
      return "choice(" + options + ")";
    }
  }
}
