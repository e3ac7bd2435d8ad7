package io.sitter.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sitter.config.ConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes the files of a run or search directory exactly as docs/formats.md specifies them, from
 * plain maps (not the report's own records, so the reader is tested against the format, not
 * against itself). Values are shaped like a real run: the loss falls from about ln(10), accuracy
 * rises, update ratios sit near 1e-3, ReLU histograms spike at 0. Non-finite values are written as
 * the strings "NaN", "Infinity", "-Infinity".
 */
final class RunFixture {
  static final ObjectMapper JSON = new ObjectMapper();

  int rounds = 30;
  int roundsPerEpoch = 10;
  int hiddenLayers = 2;
  int classes = 10;
  int bins = 30;
  long examplesPerRound = 4800;
  /** From this round on train_loss is NaN and the update ratios Infinity; 0 = never. */
  int nanFromRound = 0;
  /** Round the babysitter aborted at; 0 = not aborted (rounds are cut there). */
  int abortedAt = 0;
  boolean lrProbe = true;
  boolean evaluation = true;
  boolean config = true;
  boolean preprocessing = true;
  boolean checks = true;
  List<String> configOverrides = List.of();
  long seed = 7;
  /** Writes a growing saturated_fraction, as a tanh net would; ReLU nets write 0. */
  boolean saturating = false;
  /** A straggler: this round's compute takes ten times longer; 0 = none. */
  int slowRound = 0;

  /** The rows written, as maps, for tests to compare against. */
  final List<Map<String, Object>> writtenRounds = new ArrayList<>();
  final List<Map<String, Object>> writtenChecks = new ArrayList<>();

  List<String> layerNames() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < hiddenLayers; i++) {
      names.add("dense_" + i);
    }
    names.add("output");
    return names;
  }

  Path write(Path dir) {
    try {
      Files.createDirectories(dir);
      Random rnd = new Random(seed);
      int last = abortedAt > 0 ? abortedAt : rounds;
      StringBuilder jsonl = new StringBuilder();
      double lnC = Math.log(classes);
      for (int r = 1; r <= last; r++) {
        Map<String, Object> row = round(r, rnd, lnC);
        writtenRounds.add(row);
        jsonl.append(JSON.writeValueAsString(row)).append('\n');
      }
      Files.writeString(dir.resolve("metrics.jsonl"), jsonl.toString());
      if (checks) {
        JSON.writeValue(dir.resolve("checks.json").toFile(), checks(lnC));
      }
      if (evaluation) {
        JSON.writeValue(dir.resolve("evaluation.json").toFile(), evaluation(rnd));
      }
      if (config) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("schemaVersion", 1);
        c.put("config", JSON.valueToTree(ConfigLoader.defaults(configOverrides)));
        c.put("provenance", Map.of("sitter", "0.1.0-SNAPSHOT", "spark", "3.5.9", "dl4j", "1.0.0-M2.1", "java", "17",
            "master", "local[2]", "partitions", 2, "seed", 42, "input", "/data/fashion-mnist", "startedAt", "2026-11-24T21:00:00Z"));
        JSON.writeValue(dir.resolve("config.json").toFile(), c);
      }
      if (preprocessing) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("schemaVersion", 1);
        p.put("numFeatures", 784);
        p.put("numClasses", classes);
        p.put("counts", Map.of("train", 48000, "val", 6000, "test", 10000));
        JSON.writeValue(dir.resolve("preprocessing.json").toFile(), p);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Map<String, Object> round(int r, Random rnd, double lnC) {
    boolean nan = nanFromRound > 0 && r >= nanFromRound;
    double progress = (double) r / rounds;
    double loss = 0.3 + (lnC - 0.3) * Math.exp(-4 * progress) + 0.03 * rnd.nextGaussian();
    double acc = Math.min(0.99, 0.1 + 0.8 * (1 - Math.exp(-4 * progress)) + 0.01 * rnd.nextGaussian());
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("round", r);
    row.put("epoch", (r - 1) / roundsPerEpoch + 1);
    row.put("iteration", r * 37L);
    row.put("examples_seen", r * examplesPerRound);
    row.put("train_loss", nan ? "NaN" : loss);
    row.put("train_accuracy", nan ? "NaN" : acc);
    row.put("lr", 1e-3);
    double compute = (r == slowRound ? 10 : 1) * (2.5 + 0.2 * rnd.nextDouble());
    row.put("round_seconds", compute + 0.15);
    row.put("broadcast_seconds", 0.05);
    row.put("compute_seconds_max", compute);
    row.put("compute_seconds_mean", compute - 0.1);
    row.put("aggregate_seconds", 0.1);
    row.put("samples_per_second", examplesPerRound / (compute + 0.15));
    boolean epochEnd = r % roundsPerEpoch == 0 || r == rounds;
    row.put("val_loss", epochEnd ? (nan ? "Infinity" : loss * 1.1) : null);
    row.put("val_accuracy", epochEnd ? (nan ? "NaN" : acc - 0.02) : null);
    List<Map<String, Object>> layers = new ArrayList<>();
    List<String> names = layerNames();
    for (int i = 0; i < names.size(); i++) {
      Map<String, Object> l = new LinkedHashMap<>();
      l.put("layer", names.get(i));
      l.put("update_ratio", nan ? "Infinity" : 1e-3 * Math.pow(2, i - 1) * Math.exp(-progress) * (1 + 0.1 * rnd.nextGaussian()));
      l.put("dead_fraction", 0.02 + 0.1 * progress * i / names.size());
      l.put("act_mean", nan ? "NaN" : 0.4 + 0.05 * i);
      l.put("act_std", nan ? "-Infinity" : 0.6 - 0.03 * i + 0.1 * progress);
      l.put("saturated_fraction", saturating ? 0.05 + 0.3 * progress * (i + 1) / names.size() : 0.0);
      List<Integer> counts = new ArrayList<>();
      for (int b = 0; b < bins; b++) {
        counts.add(b == 0 ? 3000 + 50 * i : (int) (2000 * Math.exp(-b / (4.0 + 3 * progress)) + rnd.nextInt(20)));
      }
      l.put("histogram", Map.of("min", 0.0, "max", 4.0 + progress, "counts", counts));
      layers.add(l);
    }
    row.put("layers", layers);
    return row;
  }

  private Map<String, Object> checks(double lnC) {
    addCheck("initial_loss", "preflight", "pass", "2.31", "about ln(10) = 2.30",
        "The first loss matches a uniform guess over the classes: the output layer starts unbiased.",
        Map.of("loss", 2.31, "expected", lnC));
    addCheck("overfit_small", "preflight", "pass", "loss 0.01 after 120 iterations", "below 0.05 within 300",
        "The network can memorise 20 examples, so its gradients flow.", Map.of("loss", 0.01));
    addCheck("regularization", "preflight", "warn", "loss rose 0.02", "a rise of at least 0.05",
        "Raising L2 barely changed the loss: check that regularization is wired in.", Map.of("rise", 0.02));
    for (String layer : layerNames()) {
      addCheck("update_ratio", "monitor", nanFromRound > 0 ? "fail" : "pass", "1.2e-3", "between 1e-4 and 1e-2",
          "Updates are about a thousandth of the weights, a healthy learning rate.", Map.of("median", 1.2e-3));
      writtenChecks.get(writtenChecks.size() - 1).put("layer", layer);
    }
    addCheck("dead_units", "monitor", "pass", "3%", "below 50%", "Almost every ReLU fires for some input.", Map.of());
    if (abortedAt > 0) {
      addCheck("loss_explosion", "monitor", "fail", "loss 7.1", "below 3x initial = 6.9",
          "The loss tripled: lower the learning rate (try 10x lower).", Map.of("loss", 7.1));
    }
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("schemaVersion", 1);
    if (abortedAt > 0) {
      Map<String, Object> aborted = new LinkedHashMap<>();
      aborted.put("round", abortedAt);
      aborted.put("reason", "loss 7.1 > 3x initial 2.30");
      aborted.put("loss", 7.1);
      aborted.put("initialLoss", 2.30);
      aborted.put("layer", "dense_1");
      aborted.put("updateRatio", "NaN");
      aborted.put("learningRate", 0.05);
      aborted.put("suggestedLearningRate", 0.005);
      c.put("aborted", aborted);
    } else {
      c.put("aborted", null);
    }
    c.put("checks", writtenChecks);
    if (lrProbe) {
      List<Double> rates = new ArrayList<>();
      List<Object> losses = new ArrayList<>();
      List<Object> smoothed = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        double rate = 1e-6 * Math.pow(1e6, i / 59.0);
        rates.add(rate);
        double l = rate < 1e-4 ? 2.3 : rate < 0.1 ? 2.3 - 1.5 * Math.log10(rate / 1e-4) / 3 : 0.8 * Math.pow(rate / 0.1, 4);
        losses.add(rate > 0.5 ? "Infinity" : l * (1 + 0.05 * Math.sin(i)));
        smoothed.add(rate > 0.5 ? "Infinity" : l);
      }
      c.put("lrProbe", Map.of("rates", rates, "losses", losses, "smoothed", smoothed, "steepest", 3e-3, "explodes", 0.3,
          "suggested", 1e-3));
    } else {
      c.put("lrProbe", null);
    }
    return c;
  }

  private void addCheck(String check, String phase, String status, String observed, String expected, String hint, Map<String, Object> values) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("check", check);
    v.put("phase", phase);
    v.put("status", status);
    v.put("layer", null);
    v.put("observed", observed);
    v.put("expected", expected);
    v.put("hint", hint);
    v.put("values", values);
    v.put("firstRound", "monitor".equals(phase) ? 1 : null);
    v.put("lastRound", "monitor".equals(phase) ? rounds : null);
    writtenChecks.add(v);
  }

  private Map<String, Object> evaluation(Random rnd) {
    List<String> names = new ArrayList<>();
    List<List<Long>> confusion = new ArrayList<>();
    List<Map<String, Object>> perClass = new ArrayList<>();
    for (int a = 0; a < classes; a++) {
      names.add("class " + a);
      List<Long> row = new ArrayList<>();
      for (int p = 0; p < classes; p++) {
        row.add(a == p ? 850L + rnd.nextInt(100) : (long) rnd.nextInt(a == (p + 1) % classes ? 60 : 8));
      }
      confusion.add(row);
    }
    for (int k = 0; k < classes; k++) {
      long support = confusion.get(k).stream().mapToLong(Long::longValue).sum();
      long predicted = 0;
      for (List<Long> row : confusion) {
        predicted += row.get(k);
      }
      double precision = (double) confusion.get(k).get(k) / predicted;
      double recall = (double) confusion.get(k).get(k) / support;
      perClass.add(Map.of("class", names.get(k), "precision", precision, "recall", recall,
          "f1", 2 * precision * recall / (precision + recall), "support", support));
    }
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("schemaVersion", 1);
    e.put("count", 10000);
    e.put("accuracy", 0.891);
    e.put("loss", 0.31);
    e.put("classes", names);
    e.put("perClass", perClass);
    e.put("confusion", confusion);
    return e;
  }

  /** A search directory's trials.jsonl: coarse then fine trials, some aborted. */
  static List<Map<String, Object>> writeTrials(Path dir, int count, long seed) {
    try {
      Files.createDirectories(dir);
      Random rnd = new Random(seed);
      List<Map<String, Object>> rows = new ArrayList<>();
      StringBuilder out = new StringBuilder();
      for (int t = 1; t <= count; t++) {
        boolean fine = t > count * 2 / 3;
        double lr = Math.pow(10, fine ? -3.5 + rnd.nextDouble() : -6 + 5 * rnd.nextDouble());
        double l2 = Math.pow(10, fine ? -5 + rnd.nextDouble() : -6 + 4 * rnd.nextDouble());
        boolean aborted = lr > 0.03;
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("trial", t);
        row.put("stage", fine ? "fine" : "coarse");
        // As io.sitter.metrics.TrialRecord#toJson writes it: sampled values in a "values" object.
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("train.learningRate", lr);
        values.put("model.l2", l2);
        values.put("model.hiddenLayers", fine ? List.of(64, 32) : List.of(32));
        row.put("values", values);
        row.put("epochs", aborted ? 1 : 3);
        row.put("initial_loss", 2.3);
        row.put("val_loss_epoch1", aborted ? "NaN" : 2.0);
        double quality = Math.exp(-Math.pow(Math.log10(lr) + 3, 2) / 2);
        row.put("train_loss", aborted ? "NaN" : 2.3 - 1.9 * quality);
        row.put("val_loss", aborted ? null : 2.3 - 1.8 * quality);
        row.put("val_accuracy", aborted ? null : 0.1 + 0.78 * quality);
        row.put("train_accuracy", aborted ? null : 0.1 + 0.8 * quality);
        row.put("status", aborted ? "aborted" : "completed");
        row.put("reason", aborted ? "loss 8.2 > 3x initial 2.30 <at round 3>" : null);
        row.put("seconds", 10 + rnd.nextInt(20));
        rows.add(row);
        out.append(JSON.writeValueAsString(row)).append('\n');
      }
      Files.writeString(dir.resolve("trials.jsonl"), out.toString());
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
