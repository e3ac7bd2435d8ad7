package io.sitter.report;

import io.sitter.metrics.TrialRecord;
import io.sitter.metrics.RoundMetrics;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitter.metrics.CheckResult;
import io.sitter.metrics.ChecksReport;
import io.sitter.metrics.DiagnosisItem;
import io.sitter.metrics.EvaluationResult;
import io.sitter.storage.RunDirectory;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The HTML of report.html. Text (header, verdict table, numbers, configuration, trials table) is
 * written here so it reads without scripts, in a mail preview or a ticket; charts are containers
 * ({@code div.chart}) that report.js fills from the JSON in {@code #report-data}. Every script and
 * style is inlined; the page uses the browser's own fonts, so it fetches nothing.
 */
final class ReportPage {
  private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Map<String, Integer> SEVERITY = Map.of("fail", 0, "warn", 1, "pass", 2);

  private final Run run;
  private final ObjectNode data;
  private final List<Banners.Banner> banners;
  private final StringBuilder out = new StringBuilder(1 << 20);

  private ReportPage(Run run, ObjectNode data, List<Banners.Banner> banners) {
    this.run = run;
    this.data = data;
    this.banners = banners;
  }

  static String render(Run run, ObjectNode data, List<Banners.Banner> banners, Instant generated) {
    return new ReportPage(run, data, banners).page(generated);
  }

  private String page(Instant generated) {
    String name = run.dir().getName().isEmpty() ? run.dir().toString() : run.dir().getName();
    out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>sitter report: ").append(html(name)).append("</title>\n")
        .append("<style>\n").append(ChartLibrary.resource("/io/sitter/report/report.css")).append("</style>\n")
        .append("</head><body>\n<header><h1>sitter report: ").append(html(name)).append("</h1>\n")
        .append("<p class=\"sub\">").append(html(io.sitter.storage.PathMessages.show(run.dir())))
        .append(" &middot; generated ").append(html(generated.toString())).append("</p></header>\n<main>\n");
    diagnosis();
    banners();
    summary();
    verdicts();
    configuration();
    training();
    search();
    evaluation();
    out.append("</main>\n<footer>Charts drawn with Apache ECharts ").append(html(ChartLibrary.version()))
        .append(" (Apache License 2.0), inlined in this file. Curves of more than ").append(ChartData.MAX_POINTS)
        .append(" points are downsampled for drawing (largest-triangle-three-buckets); the raw values are in metrics.csv.</footer>\n");
    out.append("<script type=\"application/json\" id=\"report-data\">").append(jsonInScript(json(data))).append("</script>\n");
    out.append("<script>").append(checkedScript(ChartLibrary.script(), "echarts.min.js")).append("</script>\n");
    out.append("<script>").append(checkedScript(ChartLibrary.resource("/io/sitter/report/report.js"), "report.js")).append("</script>\n");
    out.append("</body></html>\n");
    return out.toString();
  }

  /** The babysitter's ranked diagnosis, first on the page: the top cause, its evidence and change, then the others. */
  private void diagnosis() {
    List<DiagnosisItem> causes = run.checks().map(ChecksReport::diagnosis).orElse(List.of());
    if (causes.isEmpty()) {
      return;
    }
    out.append("<section id=\"diagnosis\" class=\"diagnosis\"><h2>Diagnosis</h2>\n<ol>\n");
    for (DiagnosisItem c : causes) {
      out.append("<li data-cause=\"").append(html(c.cause())).append("\"><strong>").append(html(c.cause()))
          .append("</strong>: ").append(html(c.text()));
      if (c.change() != null) {
        out.append(" <code>").append(html(c.change().key())).append(" = ").append(html(c.change().value()))
            .append("</code>");
      }
      out.append("<ul>");
      for (String e : c.evidence()) {
        out.append("<li>").append(html(e)).append("</li>");
      }
      out.append("</ul></li>\n");
    }
    out.append("</ol></section>\n");
  }

  private void banners() {
    if (banners.isEmpty()) {
      return;
    }
    out.append("<section class=\"banners\">\n");
    for (Banners.Banner b : banners) {
      out.append("<div class=\"banner ").append(b.level().name().toLowerCase(Locale.ROOT)).append("\" role=\"alert\">")
          .append(html(b.text())).append("</div>\n");
    }
    out.append("</section>\n");
  }

  private void summary() {
    out.append("<section class=\"cards\">\n");
    Optional<JsonNode> training = run.training();
    if (run.evaluation().isPresent()) {
      EvaluationResult e = run.evaluation().get();
      card("test accuracy", percent(e.accuracy()), e.count() + " examples");
      card("test loss", number(e.loss()), null);
    } else {
      training.map(t -> t.get("testAccuracy")).filter(JsonNode::isNumber)
          .ifPresent(a -> card("test accuracy", percent(a.asDouble()), "from " + RunDirectory.TRAINING));
    }
    List<EpochSummary> epochs = EpochSummary.of(run.rounds());
    Optional<EpochSummary> lastVal = epochs.stream().filter(e -> e.valAccuracy() != null || e.valLoss() != null).reduce((a, b) -> b);
    // training.json holds the final validation figures, measured after BatchNorm's statistics were
    // re-estimated; the last epoch's in metrics.jsonl were measured before.
    Optional<JsonNode> finalVal = training.filter(t -> t.path("valAccuracy").isNumber());
    if (finalVal.isPresent()) {
      JsonNode t = finalVal.get();
      String note = t.path("batchNormReestimated").asBoolean(false) ? "after BatchNorm re-estimation" : "final";
      card("validation accuracy", percent(t.path("valAccuracy").asDouble()), note);
      card("validation loss", t.path("valLoss").isNumber() ? number(t.path("valLoss").asDouble()) : "–", note);
    } else {
      lastVal.ifPresent(e -> {
        card("validation accuracy", percent(e.valAccuracy()), "after epoch " + e.epoch());
        card("validation loss", number(e.valLoss()), "after epoch " + e.epoch());
      });
    }
    if (!run.rounds().isEmpty()) {
      RoundMetrics last = run.rounds().get(run.rounds().size() - 1);
      card("train loss", number(last.trainLoss()), "round " + last.round());
      card("rounds", Integer.toString(run.rounds().size()), "epochs " + epochs.size() + ", " + last.examplesSeen() + " examples seen");
      if (training.map(t -> t.path("seconds").isNumber()).orElse(false)) {
        card("run time", duration(training.get().path("seconds").asDouble()), "whole training, from " + RunDirectory.TRAINING);
      } else {
        double seconds = run.rounds().stream().map(RoundMetrics::roundSeconds).filter(EpochSummary::finite).mapToDouble(Double::doubleValue).sum();
        card("training time", duration(seconds), "sum of round times");
      }
    }
    run.preprocessing().ifPresent(p -> {
      JsonNode counts = p.path("counts");
      String sizes = "train " + counts.path("train").asText("?") + ", val " + counts.path("val").asText("?") + ", test " + counts.path("test").asText("?");
      card("data", p.path("numFeatures").asText("?") + " features, " + p.path("numClasses").asText("?") + " classes", sizes);
    });
    run.config().map(c -> c.path("provenance")).filter(JsonNode::isObject).ifPresent(p -> {
      String input = p.path("input").asText(p.path("data").asText(""));
      if (!input.isEmpty()) {
        card("data set", input, p.path("startedAt").isMissingNode() ? null : "started " + p.path("startedAt").asText());
      }
    });
    if (!run.trials().isEmpty()) {
      long done = run.trials().stream().filter(t -> !t.aborted()).count();
      card("search trials", Integer.toString(run.trials().size()), done + " completed, " + (run.trials().size() - done) + " aborted");
      run.trials().stream().filter(t -> EpochSummary.finite(t.valAccuracy()))
          .max(Comparator.comparingDouble(TrialRecord::valAccuracy))
          .ifPresent(t -> card("best validation accuracy", percent(t.valAccuracy()), "trial " + t.trial()));
    }
    out.append("</section>\n");
  }

  private void card(String label, String value, String note) {
    out.append("<div class=\"card\"><div class=\"label\">").append(html(label)).append("</div><div class=\"value\">")
        .append(html(value)).append("</div>");
    if (note != null) {
      out.append("<div class=\"note\">").append(html(note)).append("</div>");
    }
    out.append("</div>\n");
  }

  /** Failures first, then warnings, then passes (file order within each); the hint leads each row. */
  private void verdicts() {
    Optional<ChecksReport> checks = run.checks();
    if (checks.isEmpty() && !run.trials().isEmpty() && run.rounds().isEmpty()) {
      return; // a search directory: its trials have their own section, and checks live in each run
    }
    out.append("<section><h2>Checks</h2>\n");
    if (checks.isEmpty() || checks.get().checks().isEmpty()) {
      out.append("<p class=\"absent\">No babysitter checks were recorded (")
          .append(checks.isEmpty() ? "no " + RunDirectory.CHECKS : RunDirectory.CHECKS + " lists none").append(").</p></section>\n");
      return;
    }
    List<CheckResult> rows = checks.get().checks().stream()
        .sorted(Comparator.comparingInt(v -> SEVERITY.getOrDefault(v.status().key(), 3)))
        .toList();
    out.append("<table id=\"verdicts\" class=\"verdicts\"><thead><tr><th>What it means</th><th>Check</th><th>Status</th>")
        .append("<th>Observed</th><th>Expected</th><th>Phase</th><th>Rounds</th></tr></thead><tbody>\n");
    for (CheckResult v : rows) {
      String status = v.status().key();
      out.append("<tr class=\"status-").append(html(status)).append("\" data-check=\"").append(html(v.check()))
          .append("\" data-layer=\"").append(html(v.layer())).append("\" data-status=\"").append(html(status)).append("\">")
          .append("<td class=\"hint\">").append(html(v.hint())).append("</td>")
          .append("<td class=\"check\">").append(html(v.check()));
      if (v.layer() != null) {
        out.append(" <span class=\"layer\">").append(html(v.layer())).append("</span>");
      }
      out.append("</td>")
          .append("<td class=\"status\"><span class=\"pill\">").append(html(status)).append("</span></td>")
          .append("<td>").append(html(v.observed())).append("</td>")
          .append("<td>").append(html(v.expected())).append("</td>")
          .append("<td>").append(html(v.phase().key())).append("</td>")
          .append("<td>").append(html(rounds(v))).append("</td></tr>\n");
    }
    out.append("</tbody></table></section>\n");
  }

  private static String rounds(CheckResult v) {
    if (v.firstRound() == null) {
      return "";
    }
    return v.lastRound() == null || v.lastRound().equals(v.firstRound()) ? v.firstRound().toString() : v.firstRound() + "–" + v.lastRound();
  }

  private void configuration() {
    if (run.config().isEmpty()) {
      return;
    }
    JsonNode c = run.config().get();
    out.append("<details class=\"config\"><summary>Effective configuration and provenance</summary>\n<div class=\"two\">")
        .append("<div><h3>Configuration</h3><pre>").append(html(json(c.path("config")))).append("</pre></div>")
        .append("<div><h3>Provenance</h3><pre>").append(html(json(c.path("provenance")))).append("</pre></div>")
        .append("</div></details>\n");
  }

  private void training() {
    if (run.rounds().isEmpty() && run.checks().map(ChecksReport::lrProbe).isEmpty()) {
      return;
    }
    out.append("<section><h2>Training</h2><div class=\"grid\">\n");
    chart("loss", "chart-loss", "Loss",
        "Train loss per round and validation loss per epoch. The dashed red line is where the babysitter aborts (a multiple of the initial loss); the dotted line is ln(C), the loss of a uniform guess.",
        "loss");
    chart("accuracy", "chart-accuracy", "Accuracy per epoch",
        "Train accuracy (mean over the epoch's rounds, weighted by examples) against validation accuracy. A widening gap means overfitting; both low means underfitting.",
        null);
    chart("updateRatio", "chart-update-ratio", "Update / weight ratio per layer",
        "Size of each round's parameter update relative to the parameters, log scale. The shaded band is healthy; about 1e-3 (the line) is ideal. Above it the rate is too high, below it too low.",
        null);
    chart("dead", "chart-dead", "Dead units per layer",
        "Share of each layer's ReLUs that output zero for the whole probe batch. A share that grows means units are dying (often a learning rate too high).",
        null);
    JsonNode saturated = data.get("saturated");
    if (saturated != null && !saturated.isNull()) {
      chart("saturated", "chart-saturated", "Saturated units per layer",
          "Share of each layer's tanh/sigmoid outputs stuck near their limits, where the gradient is almost 0. A growing share means learning stalls in that layer.",
          null);
    }
    chart("activations", "chart-activations", "Activation mean and std per layer",
        "On a fixed probe batch, first against last round. Std collapsing towards 0 or growing layer over layer means the signal vanishes or explodes.",
        null);
    chart("time", "chart-time", "Time per round",
        "Broadcast, slowest partition's compute and aggregation, stacked; the dashed line is the mean partition's compute (its gap to the slowest is waiting on stragglers). Samples per second on the right axis.",
        null);
    chart("lrProbe", "chart-lr-probe", "Learning-rate probe",
        "Loss while the learning rate grows exponentially over a few minibatches. A good rate is where the loss falls fastest, well before it explodes.",
        "lrProbe");
    out.append("</div>\n");
    JsonNode hist = data.get("histograms");
    if (hist != null && !hist.isNull()) {
      out.append("<h3>Activation histograms, first against last round</h3>\n<p class=\"caption\">Share of activations per bin on the probe batch. A tall spike at 0 is dead ReLUs; mass piling at the ends of tanh/sigmoid is saturation.</p>\n<div class=\"grid small\">\n");
      for (int i = 0; i < hist.size(); i++) {
        out.append("<figure><figcaption><b>").append(html(hist.get(i).path("layer").asText())).append("</b></figcaption>")
            .append("<div class=\"chart\" id=\"chart-hist-").append(i).append("\"></div></figure>\n");
      }
      out.append("</div>\n");
    }
    out.append("</section>\n");
  }

  private void chart(String key, String id, String title, String caption, String logToggle) {
    JsonNode d = data.get(key);
    out.append("<figure><figcaption><b>").append(html(title)).append("</b>");
    if (d != null && !d.isNull() && logToggle != null) {
      out.append(" <button type=\"button\" class=\"toggle\" data-log-for=\"").append(id).append("\">log scale</button>");
    }
    out.append("<br><span class=\"caption\">").append(html(caption)).append("</span></figcaption>");
    if (d == null || d.isNull()) {
      out.append("<p class=\"absent\">Not recorded in this run.</p>");
    } else {
      out.append("<div class=\"chart\" id=\"").append(id).append("\"></div>");
    }
    out.append("</figure>\n");
  }

  private void search() {
    if (run.trials().isEmpty()) {
      return;
    }
    JsonNode s = data.get("search");
    out.append("<section><h2>Search</h2><div class=\"grid\">\n");
    if (s.has("lrKey")) {
      out.append("<figure><figcaption><b>Validation accuracy against learning rate</b><br><span class=\"caption\">")
          .append("Each mark is a trial (circles coarse, diamonds fine stage); red crosses were aborted, hover for the reason.</span></figcaption>")
          .append("<div class=\"chart\" id=\"chart-search-lr\"></div></figure>\n");
    }
    if (s.has("l2Key")) {
      out.append("<figure><figcaption><b>Validation accuracy against L2</b><br><span class=\"caption\">")
          .append("Trials with L2 = 0 cannot be placed on a log axis and are left out here (they are in the table).</span></figcaption>")
          .append("<div class=\"chart\" id=\"chart-search-l2\"></div></figure>\n");
    }
    out.append("</div>\n<table id=\"trials\" class=\"trials sortable\"><thead><tr>");
    List<String> keys = new java.util.ArrayList<>();
    s.path("keys").forEach(k -> keys.add(k.asText()));
    String[] fixed = {"trial", "stage", "status", "val accuracy", "val loss", "train accuracy", "train loss", "seconds"};
    for (String h : fixed) {
      out.append("<th data-type=\"").append(h.equals("stage") || h.equals("status") ? "text" : "number").append("\">").append(html(h)).append("</th>");
    }
    for (String k : keys) {
      out.append("<th data-type=\"number\">").append(html(k)).append("</th>");
    }
    List<String> choiceKeys = new java.util.ArrayList<>();
    s.path("choiceKeys").forEach(k -> choiceKeys.add(k.asText()));
    for (String k : choiceKeys) {
      out.append("<th data-type=\"text\">").append(html(k)).append("</th>");
    }
    out.append("<th data-type=\"text\">reason</th></tr></thead><tbody>\n");
    for (TrialRecord t : run.trials()) {
      out.append("<tr class=\"").append(t.aborted() ? "aborted" : "completed").append("\">");
      cell(Integer.toString(t.trial()), t.trial());
      cell(t.stage(), null);
      cell(t.status(), null);
      cell(percent(t.valAccuracy()), t.valAccuracy());
      cell(number(t.valLoss()), t.valLoss());
      cell(percent(t.trainAccuracy()), t.trainAccuracy());
      cell(number(t.trainLoss()), t.trainLoss());
      cell(number(t.seconds()), t.seconds());
      for (String k : keys) {
        cell(number(t.sampled().get(k)), t.sampled().get(k));
      }
      for (String k : choiceKeys) {
        cell(t.choices().get(k), null);
      }
      cell(t.reason(), null);
      out.append("</tr>\n");
    }
    out.append("</tbody></table></section>\n");
  }

  private void cell(String text, Number sortKey) {
    out.append("<td");
    if (sortKey != null && Double.isFinite(sortKey.doubleValue())) {
      out.append(" data-sort=\"").append(sortKey).append("\"");
    }
    out.append(">").append(html(text)).append("</td>");
  }

  private void evaluation() {
    if (run.evaluation().isEmpty()) {
      return;
    }
    EvaluationResult e = run.evaluation().get();
    out.append("<section><h2>Evaluation</h2><div class=\"grid\">\n");
    if (data.get("confusion") != null && !data.get("confusion").isNull()) {
      out.append("<figure class=\"wide\"><figcaption><b>Confusion matrix</b><br><span class=\"caption\">")
          .append("Rows are the true class, columns the prediction; colour is the share of the true class (so the diagonal is recall), the number is the count.</span></figcaption>")
          .append("<div class=\"chart\" id=\"chart-confusion\" style=\"height: ")
          .append(confusionHeight(data.get("confusion").path("classes").size())).append("px\"></div></figure>\n");
    }
    out.append("<figure><figcaption><b>Per class</b></figcaption><table class=\"perclass\"><thead><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr></thead><tbody>\n");
    for (EvaluationResult.PerClass p : e.perClass()) {
      out.append("<tr><td>").append(html(p.name())).append("</td><td>").append(html(number(p.precision())))
          .append("</td><td>").append(html(number(p.recall()))).append("</td><td>").append(html(number(p.f1())))
          .append("</td><td>").append(p.support()).append("</td></tr>\n");
    }
    out.append("</tbody></table></figure></div></section>\n");
  }

  /** Room for about 46 px per class row plus axes: 3 classes read at 260 px, 10 at 520, more stop growing at 720. */
  static int confusionHeight(int classes) {
    return Math.max(260, Math.min(720, 60 + 46 * classes));
  }

  static String percent(Double v) {
    if (v == null) {
      return "–";
    }
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f%%", 100 * v) : v.toString();
  }

  static String number(Double v) {
    if (v == null) {
      return "–";
    }
    if (!Double.isFinite(v)) {
      return v.toString();
    }
    double a = Math.abs(v);
    String s = a != 0 && (a < 1e-3 || a >= 1e6) ? String.format(Locale.ROOT, "%.3e", v) : String.format(Locale.ROOT, "%.4g", v);
    return withoutTrailingZeros(s);
  }

  /** "0.005000" -> "0.005", "1.200e-05" -> "1.2e-05", "2.000" -> "2". */
  static String withoutTrailingZeros(String s) {
    int e = s.indexOf('e');
    String mantissa = e < 0 ? s : s.substring(0, e);
    String exponent = e < 0 ? "" : s.substring(e);
    if (mantissa.contains(".")) {
      mantissa = mantissa.replaceAll("0+$", "");
      if (mantissa.endsWith(".")) {
        mantissa = mantissa.substring(0, mantissa.length() - 1);
      }
    }
    return mantissa + exponent;
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return String.format(Locale.ROOT, "%.1f s", seconds);
    }
    return s >= 3600 ? String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60) : String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
  }

  static String html(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * JSON inside a script element: the HTML parser ends the element at the first "&lt;/script",
   * so every '&lt;' (in JSON it can only occur inside a string) is written as the equivalent
   * escape \u003c.
   */
  static String jsonInScript(String json) {
    return json.replace("<", "\\u003c");
  }

  /** Code cannot be escaped without changing it, so an inlined script must simply not contain an end tag. */
  static String checkedScript(String js, String name) {
    String lower = js.toLowerCase(Locale.ROOT);
    if (lower.contains("</script") || lower.contains("<!--")) {
      throw new IllegalStateException(name + " contains '</script' or '<!--' and cannot be inlined in a script element");
    }
    return js;
  }

  private static String json(JsonNode node) {
    try {
      return PRETTY.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }
}
