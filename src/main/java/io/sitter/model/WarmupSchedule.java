package io.sitter.model;

import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A linear learning-rate warm-up ahead of another schedule (Goyal et al. 2017, "gradual warmup"):
 * iteration i (from 0) uses (i + 1) / iterations of the base schedule's rate until i reaches
 * iterations - 1, then the base rate.
 *
 * <p>ND4J's own {@code RampSchedule} computes the same, but 1.0.0-M2.1 cannot read it back from
 * JSON (it has no Jackson creator): the executors' {@code MultiLayerConfiguration.fromJson} and every
 * model load failed with "Cannot construct instance of RampSchedule (no Creators)". This class is
 * written and read with the configuration, so a model trained with warm-up needs sitter's jar on the
 * classpath to be loaded by plain DL4J; without warm-up the configuration names ND4J's classes only.
 */
public final class WarmupSchedule implements ISchedule {
  private static final long serialVersionUID = 1L;

  @JsonProperty("base")
  private final ISchedule base;

  @JsonProperty("iterations")
  private final int iterations;

  public WarmupSchedule(@JsonProperty("base") ISchedule base, @JsonProperty("iterations") int iterations) {
    if (iterations < 1) {
      throw new IllegalArgumentException("warm-up needs at least 1 iteration, got " + iterations);
    }
    this.base = Objects.requireNonNull(base, "base");
    this.iterations = iterations;
  }

  @Override
  public double valueAt(int iteration, int epoch) {
    double rate = base.valueAt(iteration, epoch);
    return iteration >= iterations - 1 ? rate : rate * (iteration + 1) / iterations;
  }

  @Override
  public ISchedule clone() {
    return new WarmupSchedule(base.clone(), iterations);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WarmupSchedule w && w.iterations == iterations && w.base.equals(base);
  }

  @Override
  public int hashCode() {
    return Objects.hash(base, iterations);
  }

  @Override
  public String toString() {
    return "WarmupSchedule(" + iterations + " iterations, then " + base + ")";
  }
}
