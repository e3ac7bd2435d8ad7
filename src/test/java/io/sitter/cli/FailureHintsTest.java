package io.sitter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

class FailureHintsTest {
  /** What Spark hands the driver: the executor's failure as text inside a SparkException. */
  private static SparkException taskFailure(String executorSide) {
    return new SparkException("Job aborted due to stage failure: Task 0 in stage 3.0 failed 4 times, most recent failure: "
        + "Lost task 0.3 in stage 3.0 (TID 9) (127.0.0.1 executor 1): " + executorSide);
  }

  @Test
  void nativeLoadFailureSaysWhereTheNativesMustGo() {
    String hint = FailureHints.of(new RuntimeException("round 1 failed", taskFailure(
        "java.lang.UnsatisfiedLinkError: no jnind4jcpu in java.library.path"))).orElseThrow();
    assertTrue(hint.contains("linux-x86_64") && hint.contains("org.bytedeco.javacpp.cachedir"), hint);
  }

  @Test
  void heapAndContainerKillsSayWhatToRaise() {
    assertTrue(FailureHints.of(taskFailure("ExecutorLostFailure (executor 1 exited caused by one of the running tasks) "
        + "Reason: Command exited with code 52")).orElseThrow().contains("spark.executor.memory"));
    assertTrue(FailureHints.of(taskFailure("ExecutorLostFailure Reason: Container killed by YARN for exceeding memory limits"))
        .orElseThrow().contains("spark.executor.memoryOverhead"));
  }

  /** The texts a real standalone cluster produced (ClusterIT): the last retry's, and JavaCPP's limit. */
  @Test
  void theRealClusterTextsAreRecognised() {
    assertEquals(FailureHints.Cause.NATIVES_DID_NOT_LOAD, FailureHints.cause(taskFailure(
        "java.lang.NoClassDefFoundError: Could not initialize class org.nd4j.linalg.factory.Nd4j")
        .getMessage()).orElseThrow());
    // JavaCPP's guard is an OutOfMemoryError too, but no heap setting helps it.
    String limit = FailureHints.of(taskFailure("java.lang.OutOfMemoryError: Physical memory usage is too high: "
        + "physicalBytes (252M) > maxPhysicalBytes (100M)")).orElseThrow();
    assertTrue(limit.contains("spark.executor.memoryOverhead") && !limit.contains("spark.executor.memory=4g"), limit);
    // sitter's own check between minibatches (io.sitter.model.NativeMemoryLimit) says it in JavaCPP's words.
    assertEquals(limit, FailureHints.of(taskFailure("java.lang.OutOfMemoryError: Physical memory usage is too high: "
        + "physicalBytes (252M) > maxPhysicalBytes (100M), -Dsitter.maxphysicalbytes, checked between minibatches, "
        + "after 10 garbage collections")).orElseThrow());
    // An executor's exit 52 cannot tell heap from JavaCPP's limit: the hint names both settings.
    String exit52 = FailureHints.of(new SparkException("Job 5 cancelled because a task failed in a way no retry can fix: "
        + "ExecutorLostFailure (executor 3 exited caused by one of the running tasks) Reason: Command exited with code 52"))
        .orElseThrow();
    assertTrue(exit52.contains("spark.executor.memory=") && exit52.contains("spark.executor.memoryOverhead"), exit52);
  }

  @Test
  void otherFailuresGetNoHint() {
    assertTrue(FailureHints.of(taskFailure("java.lang.ArithmeticException: / by zero")).isEmpty());
  }
}
