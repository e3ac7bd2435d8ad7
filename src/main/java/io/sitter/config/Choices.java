package io.sitter.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Lower-case names for config enums, so YAML says {@code relu}, not {@code RELU}. */
final class Choices {
  private Choices() {}

  static <E extends Enum<E>> E parse(Class<E> type, String key, String value) {
    if (value != null) {
      for (E e : type.getEnumConstants()) {
        if (name(e).equals(value.trim().toLowerCase(Locale.ROOT))) {
          return e;
        }
      }
    }
    throw new IllegalArgumentException(key + " must be one of " + list(type) + ", got " + value);
  }

  static String name(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  static <E extends Enum<E>> String list(Class<E> type) {
    return Arrays.stream(type.getEnumConstants()).map(Choices::name).collect(Collectors.joining(", ", "[", "]"));
  }
}
