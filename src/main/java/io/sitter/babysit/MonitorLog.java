package io.sitter.babysit;

import io.sitter.metrics.CheckResult;
import io.sitter.metrics.CheckResult.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds the per-round monitor verdicts into one verdict per kind and layer for {@code checks.json}:
 * a warning keeps the first round it fired, the last round it fired and the numbers of that last
 * round; a kind that never fired keeps its latest passing verdict and the span it was watched.
 * Not thread-safe: the driver records one round at a time.
 */
public final class MonitorLog {
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  /** Records one round's verdicts (each must carry its round). */
  public void record(List<CheckResult> verdicts) {
    for (CheckResult r : verdicts) {
      if (r.firstRound() == null) {
        throw new IllegalArgumentException("monitor verdict " + r.check() + " carries no round");
      }
      entries.computeIfAbsent(r.check() + "\u0000" + r.layer(), k -> new Entry(r.firstRound())).add(r);
    }
  }

  /** One verdict per kind and layer, in the order first seen. */
  public List<CheckResult> results() {
    List<CheckResult> out = new ArrayList<>();
    for (Entry e : entries.values()) {
      out.add(e.result());
    }
    return out;
  }

  /** The verdicts that warned or failed at some round. */
  public List<CheckResult> fired() {
    return results().stream().filter(r -> r.status() != Status.PASS).toList();
  }

  private static final class Entry {
    private final int firstSeen;
    private CheckResult lastPass;
    private CheckResult lastFired;
    private Integer firstFired;
    private Status worst = Status.PASS;

    Entry(int firstSeen) {
      this.firstSeen = firstSeen;
    }

    void add(CheckResult r) {
      if (r.status() == Status.PASS) {
        lastPass = r;
      } else {
        if (firstFired == null) {
          firstFired = r.firstRound();
        }
        lastFired = r;
        worst = worst.worst(r.status());
      }
    }

    CheckResult result() {
      if (lastFired == null) {
        return lastPass.withRounds(firstSeen, lastPass.lastRound());
      }
      return lastFired.withRounds(firstFired, lastFired.lastRound()).withStatus(worst);
    }
  }
}
