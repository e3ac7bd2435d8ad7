package io.sitter.bench.alternatives;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds the contestants' result lines into the benchmark's JSON: the runs, the median of each
 * figure per contestant variant, and issue 9's targets as ratios of medians with pass/fail.
 *
 * <pre>AlternativesSummary RUNS_JSONL META_JSON OUT_JSON</pre>
 * META_JSON holds machine, versions and config as the script saw them.
 */
public final class AlternativesSummary {
  static final String[] FIGURES = {"samples_per_second", "training_seconds", "seconds_to_0.85", "seconds_to_0.88",
      "seconds_to_0.89", "final_accuracy", "best_accuracy", "preflight_seconds", "monitor_seconds", "wall_seconds"};
  /**
   * Training FLOPs per example of the default 784-256-256-10 net: the three matrix products of each
   * Dense layer (forward, input gradient, weight gradient), 2 FLOPs per multiply-add:
   * 3 x 2 x (784x256 + 256x256 + 256x10) = 1,612,800. BatchNorm, ReLU, softmax and Adam (about
   * 10 FLOPs per parameter per minibatch, 21k per example) add about 2% and are left out.
   */
  static final double FLOPS_PER_SAMPLE = 3.0 * 2 * (784 * 256 + 256 * 256 + 256 * 10);
  /** FP32 FLOPs per cycle per core assumed as peak: two 256-bit FMA pipes x 8 lanes x 2 (Zen 2-4, Haswell+). */
  static final double PEAK_FLOPS_PER_CYCLE = 32;
  /**
   * "equal or better accuracy": final test accuracies closer than this count as equal. The binomial
   * standard error of an accuracy near 0.89 on the 10,000 test examples is sqrt(0.89 * 0.11 / 10000)
   * = 0.0031, and one seed's runs differ by about that; 0.005 is 1.6 standard errors.
   */
  static final double ACCURACY_TOLERANCE = 0.005;
  /** The variant tag of a PATM run whose JVM had JavaCPP's physical-memory check off. */
  static final String NO_MEMORY_CHECK = "noMemoryCheck";

  private AlternativesSummary() {}

  public static void main(String[] args) throws Exception {
    List<JsonNode> runs = new ArrayList<>();
    List<JsonNode> failed = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[0]))) {
      if (!line.isBlank()) {
        JsonNode r = Contestants.JSON.readTree(line);
        (r.has("failed") ? failed : runs).add(r);
      }
    }
    ObjectNode out = (ObjectNode) Contestants.JSON.readTree(Path.of(args[1]).toFile());
    Map<String, ObjectNode> medians = medians(runs);
    out.set("medians", Contestants.JSON.valueToTree(medians));
    double mhz = out.path("machine").path("cpu_mhz").asDouble(Double.NaN);
    out.set("headline", headline(medians, mhz));
    out.set("targets", targets(medians));
    out.set("failed_runs", Contestants.JSON.valueToTree(failed));
    out.set("runs", Contestants.JSON.valueToTree(runs));
    Path target = Path.of(args[2]);
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Contestants.JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), out);
    Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  static String key(JsonNode run) {
    return run.get("contestant").asText() + " " + run.get("variant").asText();
  }

  /** Per contestant variant, the median of each figure; a time to an accuracy never reached counts as infinite. */
  static Map<String, ObjectNode> medians(List<JsonNode> runs) {
    Map<String, List<JsonNode>> groups = new LinkedHashMap<>();
    for (JsonNode r : runs) {
      groups.computeIfAbsent(key(r), k -> new ArrayList<>()).add(r);
    }
    Map<String, ObjectNode> out = new LinkedHashMap<>();
    groups.forEach((k, rs) -> {
      ObjectNode m = Contestants.JSON.createObjectNode();
      m.put("runs", rs.size());
      // What was run, from the first run (every repeat runs the same): epochs, or MLlib's L-BFGS iterations and time cap.
      for (String f : new String[] {"epochs", "iterations", "max_seconds", "partial", "averaging_frequency"}) {
        if (rs.get(0).has(f)) {
          m.set(f, rs.get(0).get(f));
        }
      }
      m.put("cores", cores(rs.get(0)));
      for (String f : FIGURES) {
        if (rs.stream().noneMatch(r -> r.has(f))) {
          continue; // a figure this contestant does not report (e.g. the babysitter's preflight)
        }
        double[] v = rs.stream().mapToDouble(r -> r.path(f).isNumber() ? r.get(f).asDouble() : Double.POSITIVE_INFINITY).sorted().toArray();
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        if (Double.isInfinite(median)) {
          m.putNull(f);
        } else {
          m.put(f, median);
        }
      }
      out.put(k, m);
    });
    return out;
  }

  /** Cores a contestant's training used: its threads, or the session's partitions. */
  static int cores(JsonNode run) {
    if (run.has("cores")) {
      return run.get("cores").asInt();
    }
    String threads = run.path("omp_num_threads").asText("1");
    return threads.matches("\\d+") ? Integer.parseInt(threads) : 1;
  }

  /**
   * Per contestant variant: seconds to 0.88 and 0.89 test accuracy, samples/s, GFLOP/s at
   * {@link #FLOPS_PER_SAMPLE} and its share of the peak of the cores it used.
   */
  static ObjectNode headline(Map<String, ObjectNode> medians, double mhz) {
    ObjectNode h = Contestants.JSON.createObjectNode();
    h.put("flops_per_sample", FLOPS_PER_SAMPLE);
    h.put("flops_per_sample_means", "3 x 2 x (784x256 + 256x256 + 256x10): forward, input gradient and weight gradient of each Dense layer; BatchNorm, ReLU, softmax, Adam (about 2%) left out");
    h.put("peak_gflops_per_core", PEAK_FLOPS_PER_CYCLE * mhz / 1000);
    h.put("peak_means", "FP32, 32 FLOPs/cycle/core (two 256-bit FMA pipes) x the cpu MHz /proc/cpuinfo reports");
    ObjectNode by = h.putObject("contestants");
    medians.forEach((k, m) -> {
      ObjectNode o = by.putObject(k);
      for (String f : new String[] {"seconds_to_0.88", "seconds_to_0.89", "samples_per_second", "final_accuracy"}) {
        o.set(f, m.get(f));
      }
      int cores = m.path("cores").asInt(1);
      o.put("cores", cores);
      if (m.hasNonNull("samples_per_second")) {
        double gflops = m.get("samples_per_second").asDouble() * FLOPS_PER_SAMPLE / 1e9;
        o.put("gflops", gflops);
        o.put("share_of_peak", gflops / (cores * PEAK_FLOPS_PER_CYCLE * mhz / 1000));
        o.put("samples_per_second_per_core", m.get("samples_per_second").asDouble() / cores);
      }
    });
    return h;
  }

  /** The median of the first key present (the fastest sensible variant is listed first). */
  private static ObjectNode first(Map<String, ObjectNode> medians, String... keys) {
    for (String k : keys) {
      if (medians.containsKey(k)) {
        return medians.get(k);
      }
    }
    return null;
  }

  private static String firstKey(Map<String, ObjectNode> medians, String... keys) {
    for (String k : keys) {
      if (medians.containsKey(k)) {
        return k;
      }
    }
    return null;
  }

  /** Issue 17's targets, as ratios of medians of one run. */
  static ArrayNode targets(Map<String, ObjectNode> medians) {
    ArrayNode t = Contestants.JSON.createArrayNode();
    // The single-JVM reference is the faster of its two memory-check settings: the fastest sensible configuration.
    String single = medians.containsKey("single_jvm threads=1,memoryCheck=off") && medians.containsKey("single_jvm threads=1")
        ? (seconds88(medians.get("single_jvm threads=1,memoryCheck=off")) <= seconds88(medians.get("single_jvm threads=1"))
            ? "single_jvm threads=1,memoryCheck=off" : "single_jvm threads=1")
        : firstKey(medians, "single_jvm threads=1,memoryCheck=off", "single_jvm threads=1");
    // Every sitter configuration run: the default (K auto) and the tuned one (SITTER_TUNED), babysitter off and on.
    for (String sitterKey : medians.keySet().stream().filter(k -> k.startsWith("sitter K=")).toList()) {
      ObjectNode s = medians.get(sitterKey);
      if (single != null) {
        ObjectNode o = t.addObject();
        o.put("target", sitterKey + " seconds to 0.88 test accuracy <= 0.55 x " + single + "'s");
        double a = seconds88(s);
        double b = seconds88(medians.get(single));
        o.put("sitter_seconds_to_0.88", a);
        o.put("other_seconds_to_0.88", b);
        o.put("ratio", a / b);
        o.put("required_at_most", 0.55);
        o.put("pass", a / b <= 0.55);
      }
      String pair = "single_jvm threads=1,memoryCheck=off,concurrent=2";
      if (medians.containsKey(pair)) {
        ObjectNode o = t.addObject();
        double both = 2 * medians.get(pair).get("samples_per_second").asDouble();
        o.put("target", sitterKey + " samples/s >= 0.95 x two concurrent 1-thread single-JVM fits (2 x the median of each fit's samples/s)");
        o.put("sitter_samples_per_second", s.get("samples_per_second").asDouble());
        o.put("other_samples_per_second", both);
        o.put("ratio", s.get("samples_per_second").asDouble() / both);
        o.put("required_ratio", 0.95);
        o.put("pass", s.get("samples_per_second").asDouble() / both >= 0.95);
      }
      if (medians.containsKey("pytorch threads=1")) {
        ObjectNode o = t.addObject();
        double perCore = s.get("samples_per_second").asDouble() / s.path("cores").asInt(2);
        double torch = medians.get("pytorch threads=1").get("samples_per_second").asDouble();
        o.put("target", sitterKey + " samples/s per core >= 0.5 x PyTorch's on 1 thread");
        o.put("sitter_samples_per_second_per_core", perCore);
        o.put("other_samples_per_second", torch);
        o.put("ratio", perCore / torch);
        o.put("required_ratio", 0.5);
        o.put("pass", perCore / torch >= 0.5);
      }
    }
    for (String k : medians.keySet()) {
      if (k.startsWith("dl4j_patm K=") && k.endsWith(",saveUpdater")) {
        String variant = k.substring("dl4j_patm ".length()).replace(",saveUpdater", "");
        int patmK = Integer.parseInt(variant.substring(2));
        String sitterKey = medians.containsKey("sitter " + variant) ? "sitter " + variant
            : medians.containsKey("sitter K=auto") && medians.get("sitter K=auto").path("averaging_frequency").asInt() == patmK
                ? "sitter K=auto" : null;
        if (sitterKey != null) {
          throughput(t, medians, sitterKey, k, 1.5, false);
        }
      }
    }
    return t;
  }

  private static double seconds88(ObjectNode m) {
    return m.get("seconds_to_0.88").isNull() ? Double.POSITIVE_INFINITY : m.get("seconds_to_0.88").asDouble();
  }

  /**
   * sitter's median throughput over {@code other}'s, at equal or better final accuracy. A reference
   * comparison (PATM with no memory limit, which no target names) gets its ratio but no verdict.
   */
  private static void throughput(ArrayNode t, Map<String, ObjectNode> medians, String sitterKey, String otherKey, double required,
      boolean reference) {
    ObjectNode s = medians.get(sitterKey);
    ObjectNode other = medians.get(otherKey);
    if (s == null || other == null) {
      return;
    }
    ObjectNode o = t.addObject();
    o.put("target", sitterKey + " samples/s >= " + required + " x " + otherKey + ", at equal or better final test accuracy");
    double ratio = s.get("samples_per_second").asDouble() / other.get("samples_per_second").asDouble();
    o.put("sitter_samples_per_second", s.get("samples_per_second").asDouble());
    o.put("other_samples_per_second", other.get("samples_per_second").asDouble());
    o.put("ratio", ratio);
    o.put("required_ratio", required);
    o.put("sitter_final_accuracy", s.get("final_accuracy").asDouble());
    o.put("other_final_accuracy", other.get("final_accuracy").asDouble());
    o.put("sitter_epochs", s.get("epochs").asInt());
    o.put("other_epochs", other.get("epochs").asInt());
    boolean accuracyOk = s.get("final_accuracy").asDouble() >= other.get("final_accuracy").asDouble() - ACCURACY_TOLERANCE;
    // Said in the file, so a reader does not take 0.891 against 0.894 for "better": it is "equal within noise".
    o.put("accuracy_tolerance", ACCURACY_TOLERANCE);
    o.put("accuracy_equal_or_better", accuracyOk);
    if (reference) {
      o.put("target", "reference, not a target: " + sitterKey + " samples/s over " + otherKey
          + " (JavaCPP's physical-memory check off, no limit at all)");
      o.putNull("required_ratio");
      o.putNull("pass");
      return;
    }
    o.put("pass", ratio >= required && accuracyOk);
  }
}
