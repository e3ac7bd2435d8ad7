package io.sitter.cli;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ObjIntConsumer;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Fails a stage at the first task failure that no retry can fix: a bad executor environment
 * ({@link FailureHints.Cause#retryCannotFix}). Spark retries every failed task up to {@code
 * spark.task.maxFailures} (4) times whatever the cause; a native library that does not load fails
 * all four in a second, but an executor that dies of an {@code OutOfMemoryError} is relaunched
 * (JVM start, natives, its cached shard rebuilt from lineage) before each retry, which took 2.5
 * minutes for a 1-epoch run on the test cluster, and then reported only a shuffle fetch failure.
 * Lowering {@code spark.task.maxFailures} instead would also end runs an executor loss should only
 * delay (a preempted or killed executor: ClusterIT checks those still train the same model). A
 * probe job at session start would cost every cluster command a job, could not tell whether a
 * shard fits in memory, and would miss executors that join later (replacements, dynamic
 * allocation); the first real task is the probe.
 *
 * <p>The stage is cancelled with the first failure's text as the reason, so the job's exception
 * carries it ("Job N cancelled because ...") and {@link FailureHints} can name the setting.
 * Registered by {@link SparkSessions#sitterConf} through {@code spark.extraListeners}, so it sees
 * every job from the session's start; Spark instantiates it by reflection, hence public.
 *
 * <p>Such a run exits with 1 (failure), not 2 (bad input or usage): the command line and its data
 * are valid, and the same command succeeds once the cluster's executors are set up as the hint says.
 */
public final class EnvironmentFailureListener extends SparkListener {
  /** Error-string lines kept in the cancellation reason: the exception and its causes, not frames. */
  private static final int REASON_LINES = 12;

  private final ObjIntConsumer<String> cancelStage;
  private final Set<Integer> cancelled = ConcurrentHashMap.newKeySet();

  /** The constructor {@code spark.extraListeners} calls: cancels through the active SparkContext. */
  public EnvironmentFailureListener(SparkConf conf) {
    this((reason, stage) -> SparkContext.getOrCreate().cancelStage(stage, reason));
  }

  EnvironmentFailureListener(ObjIntConsumer<String> cancelStage) {
    this.cancelStage = cancelStage;
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    if (!(end.reason() instanceof TaskFailedReason failed)) {
      return;
    }
    String text = failed.toErrorString();
    boolean fatal = FailureHints.cause(text).map(c -> c.retryCannotFix).orElse(false);
    if (fatal && cancelled.add(end.stageId())) {
      cancelStage.accept(reason(text), end.stageId());
    }
  }

  /** Spark prefixes "because "; the reason keeps the exception lines, which FailureHints reads. */
  static String reason(String taskFailure) {
    String causes = taskFailure.lines()
        .filter(l -> !l.isBlank() && !l.startsWith("\tat ") && !l.strip().startsWith("at ") && !l.strip().startsWith("..."))
        .limit(REASON_LINES)
        .collect(Collectors.joining("\n"));
    return "a task failed in a way no retry can fix, so sitter did not wait for Spark's retries:\n" + causes;
  }
}
