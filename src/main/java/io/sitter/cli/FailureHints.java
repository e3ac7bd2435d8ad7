package io.sitter.cli;

import java.util.Optional;

/**
 * Plain words for the failures a cluster's executor environment causes, which otherwise arrive as
 * a 20-line Spark stack trace whose cause is buried in its text (the executor-side exception class
 * does not survive the trip: Spark sends it as a string). Each hint says what to set.
 *
 * <p>The texts matched are the ones seen on a real standalone cluster (ClusterIT): a native load
 * failure first arrives as {@code UnsatisfiedLinkError: no jniopenblas_nolapack} under "ND4J is
 * probably missing dependencies", and every retry in the same executor JVM as {@code
 * NoClassDefFoundError: Could not initialize class org.nd4j.linalg.factory.Nd4j}; an executor
 * that hits an {@code OutOfMemoryError} (Java heap, or JavaCPP's {@code maxPhysicalBytes} guard,
 * which is an {@code OutOfMemoryError} too) exits with code 52 before its task's failure reaches
 * the driver, so the driver only learns "Command exited with code 52".
 */
final class FailureHints {
  private FailureHints() {}

  /** What went wrong, as far as the failure's text tells. */
  enum Cause {
    NATIVES_DID_NOT_LOAD(true,
        "ND4J's native library did not load on an executor. sitter's jar carries the linux-x86_64 natives "
        + "only, so executors must run Linux on x86-64 (and no -Dorg.bytedeco.javacpp.platform may say "
        + "otherwise), and JavaCPP must be able to unpack them (about 400 MB) into a writable directory: set "
        + "--conf spark.executor.extraJavaOptions=-Dorg.bytedeco.javacpp.cachedir=/a/writable/dir "
        + "(default ~/.javacpp/cache). The first failure's text above names the library that did not load."),
    NATIVE_MEMORY_LIMIT(true,
        "ND4J's off-heap memory passed the physical-memory limit (checked against the executor's resident "
        + "size). sitter sets it, as -Dsitter.maxphysicalbytes, to spark.executor.memory + "
        + "spark.executor.memoryOverhead, the size the cluster manager enforces: raise "
        + "--conf spark.executor.memoryOverhead (sitter's default, 1536m plus 1g per further core, covers the "
        + "default network, whose executors measured 1.0 GB beyond the heap per task and 1.7 GB for two; see "
        + "README, Running on a cluster), or drop a sitter.maxphysicalbytes or org.bytedeco.javacpp.maxphysicalbytes you set in "
        + "spark.executor.extraJavaOptions, or fit less per "
        + "task (more --partitions, a smaller --set train.minibatchSize=...)."),
    OUT_OF_MEMORY(true,
        "An executor died of an OutOfMemoryError (Spark's exit code 52). Its stderr (the worker's work "
        + "directory, or the cluster manager's logs) says which memory: \"Java heap space\" -> give executors "
        + "more heap (--conf spark.executor.memory=4g); \"Physical memory usage is too high\" -> ND4J's "
        + "off-heap memory passed -Dsitter.maxphysicalbytes, which sitter sets to "
        + "spark.executor.memory + spark.executor.memoryOverhead: raise spark.executor.memoryOverhead. "
        + "Or fit less per task: more --partitions, a smaller --set train.minibatchSize=...; each task holds "
        + "its cached shard and a copy of the network, its updater state and one minibatch's activations."),
    MEMORY_LIMIT_KILL(true,
        "The cluster manager killed an executor for exceeding its memory limit (spark.executor.memory + "
        + "spark.executor.memoryOverhead): ND4J keeps parameters, updater state and activations off the Java "
        + "heap, and with its native libraries a default-network executor measured 1.0 GB beyond the heap. "
        + "Raise --conf spark.executor.memoryOverhead (sitter's default is 1536m plus 1g per further core; see README, "
        + "Running on a cluster)."),
    CONTAINER_KILLED(false,
        "An executor was killed, possibly for exceeding its memory limit: ND4J keeps parameters, updater "
        + "state and activations off the Java heap, and with its native libraries a default-network executor "
        + "measured 1.0 GB beyond the heap. If the cluster manager says so, raise spark.executor.memoryOverhead "
        + "(sitter's default is 1536m plus 1g per further core; see README, Running on a cluster), and keep "
        + "-Dsitter.maxphysicalbytes at or below memory + overhead (sitter's default) so ND4J "
        + "reclaims its buffers before the limit.");

    /**
     * Whether a retry of the task can only fail the same way: its executor's environment is what
     * failed, not the task's luck. An exit code 137 (SIGKILL) is not: an operator, a preempting
     * scheduler or a lost node kill executors that way too, and Spark's retries are right there.
     */
    final boolean retryCannotFix;
    final String hint;

    Cause(boolean retryCannotFix, String hint) {
      this.retryCannotFix = retryCannotFix;
      this.hint = hint;
    }
  }

  static Optional<String> of(Throwable t) {
    StringBuilder text = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      text.append(c.getClass().getName()).append(": ").append(c.getMessage()).append('\n');
    }
    return cause(text.toString()).map(c -> c.hint);
  }

  /** The cause a failure's text (an exception chain, or a Spark task failure's error string) shows. */
  static Optional<Cause> cause(String s) {
    if (s.contains("UnsatisfiedLinkError") || s.contains("jniopenblas") || s.contains("jnind4jcpu")
        || s.contains("probably missing dependencies") || s.contains("NoAvailableBackendException")
        || s.contains("Could not initialize class org.nd4j") || s.contains("Could not initialize class org.bytedeco")) {
      return Optional.of(Cause.NATIVES_DID_NOT_LOAD);
    }
    // JavaCPP's guards and sitter's NativeMemoryLimit throw OutOfMemoryError too, so they are told apart before the heap.
    if (s.contains("Physical memory usage is too high") || s.contains("maxPhysicalBytes")
        || s.contains("Failed to allocate memory within limits")) {
      return Optional.of(Cause.NATIVE_MEMORY_LIMIT);
    }
    if (s.contains("OutOfMemoryError") || s.contains("exit code 52") || s.contains("exited with code 52")) {
      return Optional.of(Cause.OUT_OF_MEMORY);
    }
    if (s.contains("exceeding memory limits") || s.contains("OOMKilled")) {
      // YARN and Kubernetes name the memory limit: a retry in the same-sized container fails alike.
      return Optional.of(Cause.MEMORY_LIMIT_KILL);
    }
    if (s.contains("exit code 137") || s.contains("exited with code 137") || s.contains("Container killed")) {
      return Optional.of(Cause.CONTAINER_KILLED);
    }
    return Optional.empty();
  }
}
