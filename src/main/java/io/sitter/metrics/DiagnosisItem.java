package io.sitter.metrics;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * One cause in the babysitter's ranked diagnosis, an item of the {@code diagnosis} array of {@code
 * checks.json} (docs/formats.md).
 *
 * @param cause the cause ID: lr_too_high, lr_too_low, symmetric_init, init_scale, dead_relu,
 *     saturation, too_much_regularization, labels_without_signal, overfitting, model_too_small,
 *     unnormalized_input or class_imbalance
 * @param evidence the findings behind it, strongest first, each naming its check and figures;
 *     symptoms this cause explains (which would otherwise look like causes of their own) follow,
 *     each starting with "explains "
 * @param change the one change to try
 * @param text the diagnosis in one sentence
 */
@JsonPropertyOrder({"cause", "evidence", "change", "text"})
public record DiagnosisItem(String cause, List<String> evidence, Change change, String text) implements Serializable {
  public DiagnosisItem {
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(change, "change");
    Objects.requireNonNull(text, "text");
    evidence = List.copyOf(evidence);
  }

  /**
   * A concrete change: a configuration key ({@code train.learningRate}) or a prep flag ({@code prep
   * --mode}) and the value to give it; for causes no setting fixes (labels), the data to look at.
   */
  @JsonPropertyOrder({"key", "value"})
  public record Change(String key, String value) implements Serializable {
    public Change {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }
  }
}
