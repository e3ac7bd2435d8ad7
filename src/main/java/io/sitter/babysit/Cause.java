package io.sitter.babysit;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The causes the babysitter can name, in the order in which one explains another: a cause explains
 * only causes after it, so symptoms of a root cause (zero init's chance accuracy, a huge L2's
 * underfitting) are shown under it instead of as causes of their own. The order puts what is
 * wrong before training starts (init, data, config) before what training then shows.
 */
public enum Cause {
  /** Zero (or constant) init: every unit of a layer computes the same function. */
  SYMMETRIC_INIT,
  /** Features on scales far from 1 with no normalization. */
  UNNORMALIZED_INPUT,
  /** L2 so large that the penalty, not the data, drives the weights. */
  TOO_MUCH_REGULARIZATION,
  /** tanh/sigmoid units sitting at their limits. */
  SATURATION,
  /** The rate diverges or makes the loss oscillate. */
  LR_TOO_HIGH,
  /** ReLU units that never fire. */
  DEAD_RELU,
  /** Activations or gradients vanish or explode through depth. */
  INIT_SCALE,
  /** The rate is too small for the loss to move. */
  LR_TOO_LOW,
  /** A few classes hold nearly all examples. */
  CLASS_IMBALANCE,
  /** The labels do not follow from the features (shuffled, misaligned). */
  LABELS_WITHOUT_SIGNAL,
  /** Train accuracy far above validation accuracy. */
  OVERFITTING,
  /** Train and validation accuracy both low: the model cannot fit the data. */
  MODEL_TOO_SMALL;

  /** The ID in checks.json: {@code lr_too_high}, ... */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws IllegalArgumentException for an unknown ID */
  public static Cause of(String id) {
    return valueOf(id.toUpperCase(Locale.ROOT));
  }

  /**
   * The causes whose symptoms this one produces by itself. Each entry is a mechanism, not a
   * correlation: zero init makes every unit alike, so the net underfits at chance and barely moves
   * (lr_too_low's symptom); unnormalized inputs make huge pre-activations (saturation, dead units,
   * exploding activations) and huge gradients (lr_too_high's divergence); a huge L2 shrinks the
   * weights (so the updates look large next to them) and keeps the model from fitting; dead ReLUs
   * pass no gradient back, so the first layers' gradients vanish (init_scale's symptom).
   */
  Set<Cause> explains() {
    return switch (this) {
      case SYMMETRIC_INIT -> EnumSet.of(SATURATION, DEAD_RELU, INIT_SCALE, LR_TOO_LOW, LABELS_WITHOUT_SIGNAL,
          MODEL_TOO_SMALL);
      case UNNORMALIZED_INPUT -> EnumSet.of(SATURATION, LR_TOO_HIGH, DEAD_RELU, INIT_SCALE, LR_TOO_LOW,
          LABELS_WITHOUT_SIGNAL, MODEL_TOO_SMALL);
      case TOO_MUCH_REGULARIZATION -> EnumSet.of(LR_TOO_HIGH, DEAD_RELU, INIT_SCALE, LR_TOO_LOW,
          LABELS_WITHOUT_SIGNAL, MODEL_TOO_SMALL);
      case SATURATION -> EnumSet.of(INIT_SCALE, LR_TOO_LOW, LABELS_WITHOUT_SIGNAL, MODEL_TOO_SMALL);
      case LR_TOO_HIGH -> EnumSet.of(DEAD_RELU, INIT_SCALE, LABELS_WITHOUT_SIGNAL, MODEL_TOO_SMALL);
      case DEAD_RELU -> EnumSet.of(INIT_SCALE, LR_TOO_LOW, LABELS_WITHOUT_SIGNAL, MODEL_TOO_SMALL);
      case INIT_SCALE -> EnumSet.of(LR_TOO_LOW, LABELS_WITHOUT_SIGNAL, MODEL_TOO_SMALL);
      case LR_TOO_LOW -> EnumSet.of(LABELS_WITHOUT_SIGNAL, MODEL_TOO_SMALL);
      case CLASS_IMBALANCE -> EnumSet.of(LABELS_WITHOUT_SIGNAL, MODEL_TOO_SMALL);
      case LABELS_WITHOUT_SIGNAL -> EnumSet.of(OVERFITTING, MODEL_TOO_SMALL);
      case OVERFITTING, MODEL_TOO_SMALL -> EnumSet.noneOf(Cause.class);
    };
  }
}
