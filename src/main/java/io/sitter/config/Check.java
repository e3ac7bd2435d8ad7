package io.sitter.config;

/** Range checks that state the key, the allowed range and the value found. */
final class Check {
  private Check() {}

  static double positive(String key, double v, double max) {
    if (!(v > 0 && v <= max)) {
      throw new IllegalArgumentException(key + " must be in (0, " + max + "], got " + v);
    }
    return v;
  }

  static double within(String key, double v, double lo, double hi) {
    if (!(v >= lo && v <= hi)) {
      throw new IllegalArgumentException(key + " must be in [" + lo + ", " + hi + "], got " + v);
    }
    return v;
  }

  static double halfOpen(String key, double v, double lo, double hi) {
    if (!(v >= lo && v < hi)) {
      throw new IllegalArgumentException(key + " must be in [" + lo + ", " + hi + "), got " + v);
    }
    return v;
  }

  static int atLeast(String key, int v, int lo) {
    if (v < lo) {
      throw new IllegalArgumentException(key + " must be >= " + lo + ", got " + v);
    }
    return v;
  }

  static double finite(String key, double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException(key + " must be a finite number, got " + v);
    }
    return v;
  }

  static <T> T present(String key, T v) {
    if (v == null) {
      throw new IllegalArgumentException(key + " must be set");
    }
    return v;
  }
}
