package io.sitter.babysit;

import java.util.LinkedHashMap;
import java.util.Map;

/** The named numbers behind a verdict, in the order given. */
final class Values {
  private Values() {}

  /** {@code of("loss", 2.3, "expected", 2.30)}: alternating names and numbers. */
  static Map<String, Double> of(Object... pairs) {
    Map<String, Double> v = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      v.put((String) pairs[i], ((Number) pairs[i + 1]).doubleValue());
    }
    return v;
  }
}
