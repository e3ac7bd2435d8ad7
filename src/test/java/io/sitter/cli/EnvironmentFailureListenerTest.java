package io.sitter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ExceptionFailure;
import org.apache.spark.ExecutorLostFailure;
import org.apache.spark.Success$;
import org.apache.spark.TaskEndReason;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.Test;
import scala.Option;
import scala.collection.immutable.List$;
import org.apache.spark.scheduler.AccumulableInfo;

class EnvironmentFailureListenerTest {
  // An immutable List: Spark's Seq parameter is scala.collection.Seq on Scala 2.12 and
  // scala.collection.immutable.Seq on 2.13, and this one is both.
  private static final scala.collection.immutable.List<AccumulableInfo> NO_ACCUMULATORS = List$.MODULE$.empty();
  private final List<String> cancels = new ArrayList<>();
  private final EnvironmentFailureListener listener =
      new EnvironmentFailureListener((reason, stage) -> cancels.add(stage + ": " + reason));

  private void taskEnd(int stage, TaskEndReason reason) {
    listener.onTaskEnd(new SparkListenerTaskEnd(stage, 0, "ResultTask", reason, null, null, null));
  }

  /** The chain a real executor threw when JavaCPP found no natives for its platform (ClusterIT). */
  private static ExceptionFailure nativesDidNotLoad() {
    Throwable link = new UnsatisfiedLinkError("no jniopenblas_nolapack in java.library.path: /usr/lib");
    Throwable nd4j = new RuntimeException("ND4J is probably missing dependencies. For more information, please refer to: "
        + "https://deeplearning4j.konduit.ai/nd4j/backend", link);
    return new ExceptionFailure(new ExceptionInInitializerError(nd4j.toString()) {
      @Override
      public synchronized Throwable getCause() {
        return nd4j;
      }
    }, NO_ACCUMULATORS);
  }

  private static ExecutorLostFailure executorExited(int code) {
    return new ExecutorLostFailure("1", true, Option.apply("Command exited with code " + code));
  }

  @Test
  void aNativeLoadFailureCancelsItsStageOnceWithTheCauseAsReason() {
    taskEnd(13, nativesDidNotLoad());
    taskEnd(13, nativesDidNotLoad());
    assertEquals(1, cancels.size(), cancels.toString());
    String cancel = cancels.get(0);
    assertTrue(cancel.startsWith("13: "), cancel);
    assertTrue(cancel.contains("UnsatisfiedLinkError: no jniopenblas_nolapack"), cancel);
    // The reason keeps the causes, not the frames, and still reads as the same cause.
    assertTrue(!cancel.contains("\tat ") && !cancel.contains("at io.sitter"), cancel);
    assertEquals(FailureHints.Cause.NATIVES_DID_NOT_LOAD, FailureHints.cause(cancel).orElseThrow());
  }

  @Test
  void anExecutorKilledByAnOutOfMemoryErrorCancelsAtOnce() {
    taskEnd(7, executorExited(52));
    assertEquals(1, cancels.size(), cancels.toString());
    assertEquals(FailureHints.Cause.OUT_OF_MEMORY, FailureHints.cause(cancels.get(0)).orElseThrow());
    taskEnd(8, new ExceptionFailure(new OutOfMemoryError(
        "Physical memory usage is too high: physicalBytes (252M) > maxPhysicalBytes (100M)"), NO_ACCUMULATORS));
    assertEquals(2, cancels.size(), cancels.toString());
    assertEquals(FailureHints.Cause.NATIVE_MEMORY_LIMIT, FailureHints.cause(cancels.get(1)).orElseThrow());
  }

  @Test
  void failuresARetryCanFixAreLeftToSpark() {
    taskEnd(3, executorExited(137));
    taskEnd(3, new ExecutorLostFailure("2", false, Option.apply("Worker shutting down")));
    taskEnd(3, new ExceptionFailure(new ArithmeticException("/ by zero"), NO_ACCUMULATORS));
    taskEnd(3, Success$.MODULE$);
    assertEquals(List.of(), cancels);
  }
}
