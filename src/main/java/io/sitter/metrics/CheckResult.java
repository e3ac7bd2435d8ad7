package io.sitter.metrics;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One verdict of the babysitter, as written to {@code RUN/checks.json} (docs/formats.md).
 *
 * <p>Findings are data, not exceptions: {@code observed} and {@code expected} are short human
 * strings, {@code values} carries the same numbers for programs (the report, tests), and {@code
 * hint} says in plain words what to change. Monitor verdicts carry the first and last round the
 * verdict held; preflight verdicts leave both null.
 *
 * @param layer the layer a per-layer monitor is about ({@code dense_0}, ..., {@code output}); null otherwise
 * @param values named numbers behind the verdict, in insertion order; may hold NaN/Infinity
 * @param cause the cause (one of the diagnosis' cause IDs, e.g. {@code lr_too_high}) a verdict that
 *     fired points at; null for a pass, or when the finding names no cause of its own (a symptom
 *     that only supports others)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record CheckResult(
    String check,
    Phase phase,
    Status status,
    String layer,
    String observed,
    String expected,
    String hint,
    Map<String, Double> values,
    Integer firstRound,
    Integer lastRound,
    String cause)
    implements Serializable {

  public CheckResult {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(observed, "observed");
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(hint, "hint");
    // LinkedHashMap, not Map.copyOf: the order of the numbers is part of what a reader sees.
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values == null ? Map.of() : values));
    if (firstRound != null && lastRound != null && lastRound < firstRound) {
      throw new IllegalArgumentException("lastRound " + lastRound + " < firstRound " + firstRound);
    }
  }

  /** A preflight verdict (no rounds). */
  public static CheckResult preflight(
      String check, Status status, String observed, String expected, String hint, Map<String, Double> values) {
    return new CheckResult(check, Phase.PREFLIGHT, status, null, observed, expected, hint, values, null, null, null);
  }

  /** A monitor verdict about {@code layer} (null when about the whole net) in {@code round}. */
  public static CheckResult monitor(
      String check, String layer, Status status, String observed, String expected, String hint,
      Map<String, Double> values, int round) {
    return new CheckResult(check, Phase.MONITOR, status, layer, observed, expected, hint, values, round, round, null);
  }

  /** The same verdict held from round {@code first} to round {@code last}. */
  public CheckResult withRounds(Integer first, Integer last) {
    return new CheckResult(check, phase, status, layer, observed, expected, hint, values, first, last, cause);
  }

  /** The same verdict pointing at {@code cause} (a diagnosis cause ID). */
  public CheckResult blaming(String cause) {
    return new CheckResult(check, phase, status, layer, observed, expected, hint, values, firstRound, lastRound, cause);
  }

  /** The same verdict with another status (a monitor's worst over the rounds it held). */
  public CheckResult withStatus(Status s) {
    return new CheckResult(check, phase, s, layer, observed, expected, hint, values, firstRound, lastRound, cause);
  }

  /** A value, failing loudly when the verdict does not carry it. */
  public double value(String name) {
    Double v = values.get(name);
    if (v == null) {
      throw new IllegalArgumentException(check + " has no value '" + name + "', only " + values.keySet());
    }
    return v;
  }

  /** How bad a verdict is; ordered from good to bad. */
  public enum Status {
    PASS, WARN, FAIL;

    @JsonCreator
    public static Status of(String s) {
      return valueOf(s.toUpperCase(Locale.ROOT));
    }

    @JsonValue
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The worse of two statuses. */
    public Status worst(Status other) {
      return compareTo(other) >= 0 ? this : other;
    }
  }

  /** When the verdict was reached: before training, or while watching it. */
  public enum Phase {
    PREFLIGHT, MONITOR;

    @JsonCreator
    public static Phase of(String s) {
      return valueOf(s.toUpperCase(Locale.ROOT));
    }

    @JsonValue
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
