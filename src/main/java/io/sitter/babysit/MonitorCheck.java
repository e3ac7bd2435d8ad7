package io.sitter.babysit;

import io.sitter.metrics.CheckResult;
import java.util.List;

/**
 * One of the babysitter's checks during training: the evidence of the rounds so far in, verdicts
 * out (one per layer for per-layer checks). A verdict that fires names the cause it points at.
 * Every check is registered once, in {@link MonitorChecks#ALL}; adding one touches its class, its
 * test and that list.
 */
interface MonitorCheck {
  List<CheckResult> judge(MonitorEvidence e);
}
