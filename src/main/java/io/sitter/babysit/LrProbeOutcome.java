package io.sitter.babysit;

import java.io.Serializable;
import java.util.List;

/** The raw range-test curve from the executor: the rate and minibatch loss of each probe step. */
record LrProbeOutcome(List<Double> rates, List<Double> losses) implements Serializable {
  LrProbeOutcome {
    rates = List.copyOf(rates);
    losses = List.copyOf(losses);
  }
}
