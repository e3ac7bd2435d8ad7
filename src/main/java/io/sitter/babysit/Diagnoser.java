package io.sitter.babysit;

import static io.sitter.babysit.Numbers.format;

import io.sitter.config.ModelConfig;
import io.sitter.config.SitterConfig;
import io.sitter.metrics.AbortVerdict;
import io.sitter.metrics.CheckResult;
import io.sitter.metrics.CheckResult.Status;
import io.sitter.metrics.DiagnosisItem;
import io.sitter.metrics.DiagnosisItem.Change;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reasons from all the babysitter's evidence to a ranked list of causes. Every verdict that fired
 * names the cause it points at ({@link CheckResult#cause()}); an abort points at lr_too_high. A
 * cause that another present cause explains ({@link Cause#explains()}), directly or through a
 * cause it explains, is not a cause of its own: its symptoms go under the explaining cause. The remaining causes are ranked by the weight of
 * their evidence (an abort 3, a failure 2, a warning 1, explained symptoms included), ties in
 * {@link Cause} order, and each gets one concrete change.
 */
public final class Diagnoser {
  static final int ABORT_WEIGHT = 3;
  static final int FAIL_WEIGHT = 2;
  static final int WARN_WEIGHT = 1;
  static final String EXPLAINS = "explains ";

  private Diagnoser() {}

  /** The ranked diagnosis; empty when no verdict fired and training was not aborted. */
  public static List<DiagnosisItem> diagnose(List<CheckResult> checks, AbortVerdict aborted, SitterConfig config) {
    Map<Cause, List<CheckResult>> byCause = new EnumMap<>(Cause.class);
    Optional<Cause> cannotFit = subsetNotFitted(checks);
    for (CheckResult c : checks) {
      if (c.status() != Status.PASS && c.cause() != null) {
        Cause cause = Cause.of(c.cause());
        // Labels without signal is a finding about the data, and it needs a model that can fit:
        // chance-level validation from a net that could not even memorise the subset says only
        // that the net does not learn, for the reason the subset check found.
        if (cause == Cause.LABELS_WITHOUT_SIGNAL && cannotFit.isPresent() && c.phase() == CheckResult.Phase.MONITOR) {
          cause = cannotFit.get();
          c = c.blaming(cause.id());
        }
        byCause.computeIfAbsent(cause, k -> new ArrayList<>()).add(c);
      }
    }
    Map<Cause, Integer> weight = new EnumMap<>(Cause.class);
    byCause.forEach((cause, verdicts) -> weight.put(cause, verdicts.stream().mapToInt(Diagnoser::weight).sum()));
    if (aborted != null) {
      weight.merge(Cause.LR_TOO_HIGH, ABORT_WEIGHT, Integer::sum);
      byCause.computeIfAbsent(Cause.LR_TOO_HIGH, k -> new ArrayList<>());
    }
    // Cause order is explanation order: a root found earlier can absorb any later cause.
    Map<Cause, List<Cause>> absorbed = new EnumMap<>(Cause.class);
    List<Cause> roots = new ArrayList<>();
    for (Cause cause : Cause.values()) {
      if (!byCause.containsKey(cause)) {
        continue;
      }
      // Explanation chains: a root absorbs what it explains and what the causes it absorbed explain
      // (imbalance -> chance-level validation -> the gap that looks like overfitting).
      Optional<Cause> by = roots.stream().filter(r -> r.explains().contains(cause)
          || absorbed.getOrDefault(r, List.of()).stream().anyMatch(a -> a.explains().contains(cause))).findFirst();
      if (by.isPresent()) {
        absorbed.computeIfAbsent(by.get(), k -> new ArrayList<>()).add(cause);
      } else {
        roots.add(cause);
      }
    }
    Map<Cause, Integer> total = new EnumMap<>(Cause.class);
    for (Cause r : roots) {
      int w = weight.get(r);
      for (Cause a : absorbed.getOrDefault(r, List.of())) {
        w += weight.get(a);
      }
      total.put(r, w);
    }
    return roots.stream()
        .sorted(Comparator.comparing((Cause r) -> -total.get(r)).thenComparing(Cause::ordinal))
        .map(r -> item(r, byCause, absorbed.getOrDefault(r, List.of()), aborted, config))
        .toList();
  }

  /**
   * The cause the preflight's small-subset check found when the network could not memorise the
   * subset (empty when it passed, did not run, or found conflicting labels in the subset itself).
   */
  static Optional<Cause> subsetNotFitted(List<CheckResult> checks) {
    return checks.stream()
        .filter(c -> c.check().equals(OverfitCheck.NAME) && c.status() == Status.FAIL && c.cause() != null)
        .map(c -> Cause.of(c.cause()))
        .filter(cause -> cause != Cause.LABELS_WITHOUT_SIGNAL)
        .findFirst();
  }

  private static int weight(CheckResult c) {
    return c.status() == Status.FAIL ? FAIL_WEIGHT : WARN_WEIGHT;
  }

  private static DiagnosisItem item(Cause cause, Map<Cause, List<CheckResult>> byCause, List<Cause> explained,
      AbortVerdict aborted, SitterConfig config) {
    List<String> evidence = new ArrayList<>();
    if (cause == Cause.LR_TOO_HIGH && aborted != null) {
      evidence.add("abort (round " + aborted.round() + "): " + aborted.reason());
    }
    List<CheckResult> own = new ArrayList<>(byCause.get(cause));
    own.sort(Comparator.comparing(CheckResult::status).reversed());
    own.forEach(c -> evidence.add(describe(c)));
    for (Cause e : explained) {
      if (e == Cause.LR_TOO_HIGH && aborted != null) {
        evidence.add(EXPLAINS + e.id() + ": abort (round " + aborted.round() + "): " + aborted.reason());
      }
      byCause.get(e).forEach(c -> evidence.add(EXPLAINS + e.id() + ": " + describe(c)));
    }
    List<CheckResult> all = new ArrayList<>(own);
    explained.forEach(e -> all.addAll(byCause.get(e)));
    Change change = change(cause, all, aborted, config);
    return new DiagnosisItem(cause.id(), evidence, change, text(cause, change, explained));
  }

  /** "check [layer] (rounds a-b): observed (expected ...)". */
  static String describe(CheckResult c) {
    String where = c.layer() == null ? "" : " [" + c.layer() + "]";
    String when = c.firstRound() == null ? ""
        : c.firstRound().equals(c.lastRound()) ? " (round " + c.firstRound() + ")"
        : " (rounds " + c.firstRound() + "-" + c.lastRound() + ")";
    return c.check() + where + when + ": " + c.observed() + " (expected " + c.expected() + ")";
  }

  private static String text(Cause cause, Change change, List<Cause> explained) {
    String what = switch (cause) {
      case SYMMETRIC_INIT -> "The weights start identical (zero init), so every unit of a layer computes the same "
          + "function and the network cannot learn more than one feature per layer";
      case UNNORMALIZED_INPUT -> "The input features are on scales far from 1, so pre-activations and gradients are "
          + "huge in the first layer";
      case TOO_MUCH_REGULARIZATION -> "The L2 penalty dominates the loss, so the weights fit the penalty instead of "
          + "the data";
      case SATURATION -> "The tanh/sigmoid units sit at their limits, where the gradient vanishes";
      case INIT_SCALE -> "Activations or gradients vanish or explode through the depth of the network: the weight "
          + "scale does not suit this depth and activation";
      case LR_TOO_HIGH -> "The learning rate is too high: the loss diverges or oscillates instead of falling";
      case DEAD_RELU -> "Many ReLU units never fire, so they pass no gradient and stop learning";
      case LR_TOO_LOW -> "The learning rate is too low: the weights barely move and the loss barely falls";
      case CLASS_IMBALANCE -> "The classes are badly unbalanced, so the network can score by predicting the "
          + "largest classes";
      case LABELS_WITHOUT_SIGNAL -> "The labels do not follow from the features: training accuracy rises by "
          + "memorising while validation accuracy stays at chance (shuffled or misaligned labels?)";
      case OVERFITTING -> "The network overfits: training accuracy is far above validation accuracy";
      case MODEL_TOO_SMALL -> "The model underfits: training and validation accuracy both stay low";
    };
    String also = explained.isEmpty() ? ""
        : " (this also explains " + explained.stream().map(Cause::id).collect(Collectors.joining(", ")) + ")";
    return what + also + "; try " + change.key() + (change.key().startsWith("prep") || change.key().equals("data")
        ? " " : " = ") + change.value() + ".";
  }

  private static Change change(Cause cause, List<CheckResult> evidence, AbortVerdict aborted, SitterConfig config) {
    ModelConfig m = config.model();
    double lr = config.train().learningRate();
    boolean reluFamily = m.activation() == ModelConfig.Activation.RELU || m.activation() == ModelConfig.Activation.LEAKYRELU
        || m.activation() == ModelConfig.Activation.ELU;
    return switch (cause) {
      case SYMMETRIC_INIT -> new Change("model.weightInit", reluFamily ? "he" : "xavier");
      case UNNORMALIZED_INPUT -> new Change("prep --mode", "standardize");
      case TOO_MUCH_REGULARIZATION -> new Change("model.l2", format(value(evidence, "suggestedL2")
          .orElse(Numbers.oneDigit(m.l2() / 100))));
      case SATURATION -> m.batchNorm() ? new Change("model.activation", "relu") : new Change("model.batchNorm", "true");
      case INIT_SCALE -> !m.batchNorm() ? new Change("model.batchNorm", "true")
          : new Change("model.weightInit", reluFamily ? "he" : "xavier");
      case LR_TOO_HIGH -> new Change("train.learningRate", format(aborted != null
          ? aborted.suggestedLearningRate()
          : rate(evidence).filter(s -> s < lr).orElse(Numbers.oneDigit(lr / 10))));
      case DEAD_RELU -> m.biasInit() < 0 ? new Change("model.biasInit", "0") : new Change("model.activation", "leakyrelu");
      case LR_TOO_LOW -> new Change("train.learningRate", format(rate(evidence)
          .filter(s -> s > lr).orElse(Numbers.oneDigit(lr * 10))));
      case CLASS_IMBALANCE -> new Change("data", "resample the training split so the smallest class has at least a "
          + "tenth of the largest class's examples");
      case LABELS_WITHOUT_SIGNAL -> new Change("data", "check the label column and that features and labels are "
          + "aligned row by row");
      case OVERFITTING -> m.dropout() == 0 ? new Change("model.dropout", "0.2")
          : new Change("model.l2", format(m.l2() == 0 ? 1e-4 : m.l2() * 10));
      case MODEL_TOO_SMALL -> new Change("model.hiddenLayers",
          m.hiddenLayers().stream().map(w -> Integer.toString(w * 2)).collect(Collectors.joining(", ", "[", "]")));
    };
  }

  /** A rate the verdicts suggest: a monitor's suggestedLearningRate or the range test's suggestion. */
  private static Optional<Double> rate(List<CheckResult> verdicts) {
    return value(verdicts, "suggestedLearningRate").or(() -> value(verdicts, "suggested"));
  }

  /** The first value named {@code name} among the verdicts (strongest first). */
  private static Optional<Double> value(List<CheckResult> verdicts, String name) {
    return verdicts.stream().map(c -> c.values().get(name)).filter(v -> v != null && Double.isFinite(v) && v > 0)
        .findFirst();
  }
}
