package io.sitter.babysit;

import io.sitter.metrics.CheckResult;
import java.util.List;

/**
 * One of the babysitter's checks: evidence in, verdicts out (one per layer for per-layer checks). A
 * verdict that fires names the cause it points at. Preflight checks judge a {@link
 * PreflightEvidence} (the untrained network's numbers on a sample of the training split), monitor
 * checks a {@link MonitorEvidence} (the rounds so far). Every check is registered once, in {@link
 * Checks}; adding one touches its class, its test and that registry.
 *
 * @param <E> the evidence the check reads
 */
interface Check<E> {
  List<CheckResult> judge(E evidence);
}
