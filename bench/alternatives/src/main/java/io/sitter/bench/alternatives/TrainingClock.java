package io.sitter.bench.alternatives;

/** A stopwatch that only runs around training, so evaluations and set-up stay off the clock. */
final class TrainingClock {
  private long total;
  private long started = -1;

  void start() {
    if (started >= 0) {
      throw new IllegalStateException("clock already running");
    }
    started = System.nanoTime();
  }

  void stop() {
    if (started < 0) {
      throw new IllegalStateException("clock not running");
    }
    total += System.nanoTime() - started;
    started = -1;
  }

  double seconds() {
    return (total + (started >= 0 ? System.nanoTime() - started : 0)) / 1e9;
  }
}
