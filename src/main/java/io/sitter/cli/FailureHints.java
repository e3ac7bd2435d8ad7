package io.sitter.cli;

import java.util.Optional;

/**
 * Plain words for the failures a cluster's executor environment causes, which otherwise arrive as
 * a 20-line Spark stack trace whose cause is buried in its text (the executor-side exception class
 * does not survive the trip: Spark sends it as a string). Each hint says what to set.
 */
final class FailureHints {
  private FailureHints() {}

  static Optional<String> of(Throwable t) {
    StringBuilder text = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      text.append(c.getClass().getName()).append(": ").append(c.getMessage()).append('\n');
    }
    String s = text.toString();
    if (s.contains("UnsatisfiedLinkError") || s.contains("jniopenblas") || s.contains("jnind4jcpu")
        || s.contains("probably missing dependencies") || s.contains("NoAvailableBackendException")) {
      return Optional.of("ND4J's native library did not load on an executor. sitter's jar carries the "
          + "linux-x86_64 natives only, so executors must run Linux on x86-64, and JavaCPP must be able to "
          + "unpack them (about 400 MB) into a writable directory: set --conf "
          + "spark.executor.extraJavaOptions=-Dorg.bytedeco.javacpp.cachedir=/a/writable/dir (default ~/.javacpp/cache).");
    }
    if (s.contains("OutOfMemoryError") || s.contains("exit code 52") || s.contains("exited with code 52")) {
      return Optional.of("An executor ran out of Java heap. Give executors more (--conf spark.executor.memory=4g) "
          + "or fit smaller minibatches (--set train.minibatchSize=...); each task holds its cached shard and a copy "
          + "of the network, its updater state and one minibatch's activations.");
    }
    if (s.contains("exit code 137") || s.contains("exited with code 137") || s.contains("exceeding memory limits")
        || s.contains("Container killed") || s.contains("maxphysicalbytes")) {
      return Optional.of("An executor was killed for exceeding its memory limit: ND4J keeps parameters, updater state "
          + "and activations off the Java heap, and its native libraries take about 300 MB more. Raise "
          + "spark.executor.memoryOverhead (at least 1g for the default network; see README, Running on a cluster), "
          + "and keep -Dorg.bytedeco.javacpp.maxphysicalbytes above heap + overhead.");
    }
    return Optional.empty();
  }
}
