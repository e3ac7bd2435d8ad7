package io.sitter.report;

import io.sitter.metrics.TrialRecord;
import io.sitter.metrics.LayerMetrics;
import io.sitter.metrics.RoundMetrics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitter.config.BabysitConfig;
import io.sitter.metrics.AbortVerdict;
import io.sitter.metrics.ChecksReport;
import io.sitter.metrics.EvaluationResult;
import io.sitter.metrics.LrProbeCurve;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The numbers each chart draws, as one JSON object the page script reads (its keys are the chart
 * names in report.js). A chart whose data the run does not have is {@code null}, and the page
 * says so instead of drawing an empty frame.
 *
 * <p>Every per-round series is cut to at most {@link #MAX_POINTS} points with {@link Lttb}, so a
 * run of thousands of rounds and many layers opens as fast as a short one; the raw rows stay in
 * metrics.csv. Non-finite values become JSON {@code null}, which ECharts draws as a gap.
 */
final class ChartData {
  static final int MAX_POINTS = 1500;
  static final double IDEAL_UPDATE_RATIO = 1e-3;
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private ChartData() {}

  static ObjectNode of(Run run, BabysitConfig babysit) {
    ObjectNode data = F.objectNode();
    List<RoundMetrics> rounds = run.rounds();
    data.set("loss", rounds.isEmpty() ? null : loss(run, babysit));
    data.set("accuracy", rounds.isEmpty() ? null : accuracy(rounds));
    List<String> layers = layerNames(rounds);
    // A chart whose every value is missing is left out (and the page says so) rather than drawn empty.
    data.set("updateRatio", ifDrawable(layers.isEmpty() ? null : updateRatio(rounds, layers, babysit), ChartData::anyLayerHasY));
    data.set("dead", ifDrawable(layers.isEmpty() ? null : perLayer(rounds, layers, LayerMetrics::deadFraction, false), ChartData::anyLayerHasY));
    // Saturation matters for tanh/sigmoid nets only; a ReLU net writes zeros, and gets no chart.
    data.set("saturated", ifDrawable(layers.isEmpty() ? null : perLayer(rounds, layers, LayerMetrics::saturatedFraction, false),
        c -> anyLayerHasY(c) && anyPositive(c)));
    data.set("histograms", histograms(rounds, layers));
    data.set("activations", ifDrawable(layers.isEmpty() ? null : activations(rounds, layers),
        c -> anyNumberIn(c, "meanFirst", "stdFirst", "meanLast", "stdLast")));
    data.set("lrProbe", ifDrawable(run.checks().map(ChecksReport::lrProbe).filter(p -> !p.rates().isEmpty()).map(ChartData::lrProbe).orElse(null),
        c -> hasY(c.path("points"))));
    data.set("time", ifDrawable(rounds.isEmpty() ? null : time(rounds),
        c -> anyNumberIn(c, "broadcast", "computeMax", "aggregate", "computeMean", "samplesPerSecond")));
    data.set("search", run.trials().isEmpty() ? null : search(run.trials()));
    data.set("confusion", run.evaluation().filter(e -> !e.classes().isEmpty()).map(ChartData::confusion).orElse(null));
    return data;
  }

  /** {@code chart} when {@code drawable} finds something to draw in it, else null. */
  private static ObjectNode ifDrawable(ObjectNode chart, java.util.function.Predicate<ObjectNode> drawable) {
    return chart != null && drawable.test(chart) ? chart : null;
  }

  /** Some [x, y] point has a y. */
  static boolean hasY(JsonNode points) {
    for (JsonNode p : points) {
      if (p.path(1).isNumber()) {
        return true;
      }
    }
    return false;
  }

  /** Some layer's points have a y. */
  static boolean anyLayerHasY(ObjectNode chart) {
    for (JsonNode layer : chart.path("layers")) {
      if (hasY(layer.path("points"))) {
        return true;
      }
    }
    return false;
  }

  /** Some layer's point has a y above 0. */
  static boolean anyPositive(ObjectNode chart) {
    for (JsonNode layer : chart.path("layers")) {
      for (JsonNode p : layer.path("points")) {
        if (p.path(1).isNumber() && p.path(1).asDouble() > 0) {
          return true;
        }
      }
    }
    return false;
  }

  /** Some value of one of {@code keys}' arrays is a number. */
  static boolean anyNumberIn(ObjectNode chart, String... keys) {
    for (String key : keys) {
      for (JsonNode v : chart.path(key)) {
        if (v.isNumber()) {
          return true;
        }
      }
    }
    return false;
  }

  /** Layer names in the order they first appear. */
  static List<String> layerNames(List<RoundMetrics> rounds) {
    Set<String> names = new LinkedHashSet<>();
    rounds.forEach(r -> r.layers().forEach(l -> names.add(l.layer())));
    return List.copyOf(names);
  }

  private static ObjectNode loss(Run run, BabysitConfig babysit) {
    List<RoundMetrics> rounds = run.rounds();
    ObjectNode loss = F.objectNode();
    loss.set("train", series(rounds, RoundMetrics::trainLoss, false));
    loss.set("val", validation(rounds, RoundMetrics::valLoss));
    Optional<Double> initial = initialLoss(run);
    if (initial.isPresent()) {
      loss.put("initial", initial.get());
      loss.put("abortFactor", babysit.abortLossFactor());
      loss.put("abortLine", babysit.abortLossFactor() * initial.get());
    }
    numClasses(run).ifPresent(c -> {
      loss.put("classes", c);
      loss.put("lnC", Math.log(c));
    });
    return loss;
  }

  /**
   * The loss the abort line multiplies: the one the abort rule itself used when it fired
   * ({@code aborted.initialLoss}), else the babysitter's initial-loss check (its {@code
   * values.loss}), else the first finite train loss.
   */
  static Optional<Double> initialLoss(Run run) {
    Optional<Double> ruled = run.checks().map(ChecksReport::aborted).map(AbortVerdict::initialLoss).filter(Double::isFinite);
    if (ruled.isPresent()) {
      return ruled;
    }
    Optional<Double> checked = run.checks().flatMap(c -> c.checks().stream()
        .filter(v -> "initial_loss".equals(v.check()))
        .map(v -> v.values().get("loss"))
        .filter(l -> l != null && Double.isFinite(l))
        .findFirst());
    if (checked.isPresent()) {
      return checked;
    }
    return run.rounds().stream().map(RoundMetrics::trainLoss).filter(EpochSummary::finite).findFirst();
  }

  /** From preprocessing.json, else the evaluation's class names. */
  static Optional<Integer> numClasses(Run run) {
    Optional<Integer> prep = run.preprocessing().map(p -> p.path("numClasses")).filter(JsonNode::canConvertToInt).map(JsonNode::asInt);
    if (prep.isPresent() && prep.get() > 1) {
      return prep;
    }
    return run.evaluation().map(e -> e.classes().size()).filter(n -> n > 1);
  }

  private static ObjectNode accuracy(List<RoundMetrics> rounds) {
    ObjectNode acc = F.objectNode();
    ArrayNode train = acc.putArray("train");
    ArrayNode val = acc.putArray("val");
    for (EpochSummary e : EpochSummary.of(rounds)) {
      train.add(point(e.epoch(), e.trainAccuracy()));
      val.add(point(e.epoch(), e.valAccuracy()));
    }
    return acc;
  }

  private static ObjectNode updateRatio(List<RoundMetrics> rounds, List<String> layers, BabysitConfig babysit) {
    ObjectNode ratio = perLayer(rounds, layers, LayerMetrics::updateRatio, true);
    ratio.put("low", babysit.updateRatioLow());
    ratio.put("high", babysit.updateRatioHigh());
    ratio.put("ideal", IDEAL_UPDATE_RATIO);
    return ratio;
  }

  /** {"layers": [{"name", "points"}]}; on a log axis a ratio of 0 cannot be drawn, so it is a gap too. */
  private static ObjectNode perLayer(
      List<RoundMetrics> rounds, List<String> layers, Function<LayerMetrics, Double> metric, boolean positiveOnly) {
    ObjectNode out = F.objectNode();
    ArrayNode list = out.putArray("layers");
    for (String layer : layers) {
      List<double[]> xy = new ArrayList<>();
      for (RoundMetrics r : rounds) {
        for (LayerMetrics l : r.layers()) {
          if (layer.equals(l.layer())) {
            Double v = metric.apply(l);
            double y = v == null ? Double.NaN : v;
            xy.add(new double[] {r.round(), positiveOnly && y <= 0 ? Double.NaN : y});
          }
        }
      }
      ObjectNode s = list.addObject();
      s.put("name", layer);
      s.set("points", downsampled(xy));
    }
    return out;
  }

  /** A per-round series, downsampled; null values stay gaps. */
  static ArrayNode series(List<RoundMetrics> rounds, Function<RoundMetrics, Double> metric, boolean positiveOnly) {
    List<double[]> xy = new ArrayList<>();
    for (RoundMetrics r : rounds) {
      Double v = metric.apply(r);
      double y = v == null ? Double.NaN : v;
      xy.add(new double[] {r.round(), positiveOnly && y <= 0 ? Double.NaN : y});
    }
    return downsampled(xy);
  }

  /** Values written once per epoch (validation): only the rounds that have one, never downsampled. */
  private static ArrayNode validation(List<RoundMetrics> rounds, Function<RoundMetrics, Double> metric) {
    ArrayNode out = F.arrayNode();
    for (RoundMetrics r : rounds) {
      Double v = metric.apply(r);
      if (v != null) {
        out.add(point(r.round(), v).add(r.epoch()));
      }
    }
    return out;
  }

  static ArrayNode downsampled(List<double[]> xy) {
    double[] x = new double[xy.size()];
    double[] y = new double[xy.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = xy.get(i)[0];
      y[i] = xy.get(i)[1];
    }
    ArrayNode out = F.arrayNode();
    for (int i : Lttb.select(x, y, MAX_POINTS)) {
      out.add(point(x[i], y[i]));
    }
    return out;
  }

  private static ArrayNode histograms(List<RoundMetrics> rounds, List<String> layers) {
    ArrayNode out = F.arrayNode();
    for (String layer : layers) {
      RoundMetrics first = null;
      RoundMetrics last = null;
      for (RoundMetrics r : rounds) {
        if (histogram(r, layer) != null) {
          first = first == null ? r : first;
          last = r;
        }
      }
      if (first == null) {
        continue;
      }
      ObjectNode h = out.addObject();
      h.put("layer", layer);
      h.put("firstRound", first.round());
      h.put("lastRound", last.round());
      h.set("first", histogramPoints(histogram(first, layer)));
      h.set("last", histogramPoints(histogram(last, layer)));
    }
    return out.isEmpty() ? null : out;
  }

  private static LayerMetrics.Histogram histogram(RoundMetrics r, String layer) {
    for (LayerMetrics l : r.layers()) {
      if (layer.equals(l.layer()) && l.histogram() != null && !l.histogram().counts().isEmpty()) {
        return l.histogram();
      }
    }
    return null;
  }

  /** [bin center, share of the layer's activations in the bin]: shares compare rounds of any batch size. */
  static ArrayNode histogramPoints(LayerMetrics.Histogram h) {
    long total = h.counts().stream().mapToLong(Integer::longValue).sum();
    int bins = h.counts().size();
    double width = (h.max() - h.min()) / bins;
    ArrayNode out = F.arrayNode();
    for (int i = 0; i < bins; i++) {
      out.add(point(h.min() + (i + 0.5) * width, total == 0 ? 0.0 : (double) h.counts().get(i) / total));
    }
    return out;
  }

  private static ObjectNode activations(List<RoundMetrics> rounds, List<String> layers) {
    ObjectNode out = F.objectNode();
    RoundMetrics first = rounds.get(0);
    // The last round whose activations were measured: after a blow-up they are NaN, and the last
    // healthy picture says more than an empty chart (the banner says when values went bad).
    RoundMetrics last = rounds.get(rounds.size() - 1);
    for (int i = rounds.size() - 1; i >= 0; i--) {
      if (rounds.get(i).layers().stream().anyMatch(l -> EpochSummary.finite(l.actMean()) || EpochSummary.finite(l.actStd()))) {
        last = rounds.get(i);
        break;
      }
    }
    out.put("firstRound", first.round());
    out.put("lastRound", last.round());
    ArrayNode names = out.putArray("layers");
    layers.forEach(names::add);
    out.set("meanFirst", byLayer(first, layers, LayerMetrics::actMean));
    out.set("stdFirst", byLayer(first, layers, LayerMetrics::actStd));
    out.set("meanLast", byLayer(last, layers, LayerMetrics::actMean));
    out.set("stdLast", byLayer(last, layers, LayerMetrics::actStd));
    return out;
  }

  private static ArrayNode byLayer(RoundMetrics r, List<String> layers, Function<LayerMetrics, Double> metric) {
    ArrayNode out = F.arrayNode();
    for (String layer : layers) {
      Double v = null;
      for (LayerMetrics l : r.layers()) {
        if (layer.equals(l.layer())) {
          v = metric.apply(l);
          break;
        }
      }
      addNumber(out, v);
    }
    return out;
  }

  private static ObjectNode lrProbe(LrProbeCurve probe) {
    ObjectNode out = F.objectNode();
    ArrayNode points = out.putArray("points");
    ArrayNode smoothed = out.putArray("smoothed");
    int n = Math.min(probe.rates().size(), probe.losses().size());
    for (int i = 0; i < n; i++) {
      Double rate = probe.rates().get(i);
      if (rate != null && rate > 0 && Double.isFinite(rate)) {
        points.add(point(rate, probe.losses().get(i)));
        if (i < probe.smoothed().size()) {
          smoothed.add(point(rate, probe.smoothed().get(i)));
        }
      }
    }
    putNumber(out, "suggested", probe.suggested());
    putNumber(out, "explodes", probe.explodes());
    putNumber(out, "steepest", probe.steepest());
    return out;
  }

  /**
   * The stacked parts of a round share one set of rounds, chosen by LTTB on the round's total time
   * so slow rounds are kept: {"rounds": [...], "broadcast": [...], ...} with the values by position,
   * because the page stacks them on a category axis (ECharts stacks by data index).
   */
  private static ObjectNode time(List<RoundMetrics> rounds) {
    double[] x = new double[rounds.size()];
    double[] total = new double[rounds.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = rounds.get(i).round();
      Double t = rounds.get(i).roundSeconds();
      total[i] = t == null ? Double.NaN : t;
    }
    int[] keep = Lttb.select(x, total, MAX_POINTS);
    ObjectNode out = F.objectNode();
    ArrayNode roundNumbers = out.putArray("rounds");
    for (int i : keep) {
      roundNumbers.add(rounds.get(i).round());
    }
    Map<String, Function<RoundMetrics, Double>> parts = new java.util.LinkedHashMap<>();
    parts.put("broadcast", RoundMetrics::broadcastSeconds);
    parts.put("computeMax", RoundMetrics::computeSecondsMax);
    parts.put("aggregate", RoundMetrics::aggregateSeconds);
    parts.put("computeMean", RoundMetrics::computeSecondsMean);
    parts.put("round", RoundMetrics::roundSeconds);
    parts.put("samplesPerSecond", RoundMetrics::samplesPerSecond);
    parts.forEach((name, get) -> {
      ArrayNode values = out.putArray(name);
      for (int i : keep) {
        addNumber(values, get.apply(rounds.get(i)));
      }
    });
    return out;
  }

  private static ObjectNode search(List<TrialRecord> trials) {
    ObjectNode out = F.objectNode();
    Set<String> keys = new LinkedHashSet<>();
    trials.forEach(t -> keys.addAll(t.sampled().keySet()));
    ArrayNode keyList = out.putArray("keys");
    keys.forEach(keyList::add);
    Set<String> choiceKeys = new LinkedHashSet<>();
    trials.forEach(t -> choiceKeys.addAll(t.choices().keySet()));
    ArrayNode choiceList = out.putArray("choiceKeys");
    choiceKeys.forEach(choiceList::add);
    keys.stream().filter(k -> k.endsWith("learningRate")).findFirst().ifPresent(k -> out.put("lrKey", k));
    keys.stream().filter(k -> k.endsWith("l2")).findFirst().ifPresent(k -> out.put("l2Key", k));
    ArrayNode rows = out.putArray("trials");
    for (TrialRecord t : trials) {
      ObjectNode row = rows.addObject();
      row.put("trial", t.trial());
      row.put("stage", t.stage());
      ObjectNode sampled = row.putObject("sampled");
      t.sampled().forEach((k, v) -> putNumber(sampled, k, v));
      ObjectNode choices = row.putObject("choices");
      t.choices().forEach(choices::put);
      putNumber(row, "trainLoss", t.trainLoss());
      putNumber(row, "valLoss", t.valLoss());
      putNumber(row, "valAccuracy", t.valAccuracy());
      putNumber(row, "trainAccuracy", t.trainAccuracy());
      row.put("status", t.status());
      row.put("reason", t.reason());
      putNumber(row, "seconds", t.seconds());
    }
    return out;
  }

  /** Cells [predicted, actual, share of the actual class, count]: colour by recall, so rare classes read too. */
  private static ObjectNode confusion(EvaluationResult e) {
    ObjectNode out = F.objectNode();
    int n = e.classes().size();
    ArrayNode classes = out.putArray("classes");
    e.classes().forEach(classes::add);
    ArrayNode cells = out.putArray("cells");
    for (int actual = 0; actual < n; actual++) {
      long support = e.perClass().get(actual).support();
      for (int predicted = 0; predicted < n; predicted++) {
        long count = e.confusion(actual, predicted);
        cells.add(F.arrayNode().add(predicted).add(actual).add(support == 0 ? 0.0 : (double) count / support).add(count));
      }
    }
    return out;
  }

  private static ArrayNode point(double x, Double y) {
    ArrayNode p = F.arrayNode().add(x);
    addNumber(p, y);
    return p;
  }

  private static void addNumber(ArrayNode a, Double v) {
    if (v == null || !Double.isFinite(v)) {
      a.addNull();
    } else {
      a.add(v);
    }
  }

  private static void putNumber(ObjectNode o, String key, Double v) {
    if (v == null || !Double.isFinite(v)) {
      o.putNull(key);
    } else {
      o.put(key, v);
    }
  }
}
