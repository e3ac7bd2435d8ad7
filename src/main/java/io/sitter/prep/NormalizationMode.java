package io.sitter.prep;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** How features are normalized after the optional scale: {@code none|center|standardize|pixel-mean}. */
public enum NormalizationMode {
  /** Leave the (scaled) values as they are. */
  NONE,
  /** Subtract each feature's training mean. */
  CENTER,
  /** Subtract each feature's training mean and divide by its training std (zero std: divide by 1). */
  STANDARDIZE,
  /** Subtract one scalar, the mean over every training value (CS231n's "mean image" simplified). */
  PIXEL_MEAN;

  @JsonValue
  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Parses {@code none|center|standardize|pixel-mean} (case-insensitive). */
  @JsonCreator
  public static NormalizationMode parse(String text) {
    for (NormalizationMode m : values()) {
      if (m.cliName().equals(text.trim().toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "mode must be one of " + Arrays.stream(values()).map(NormalizationMode::cliName).toList() + ", got '" + text + "'");
  }
}
