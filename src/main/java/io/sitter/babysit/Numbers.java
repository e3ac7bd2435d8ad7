package io.sitter.babysit;

import java.util.Locale;

/** Numbers as the babysitter prints them: short, and in the "3e-2" style of learning rates. */
final class Numbers {
  private Numbers() {}

  /** {@code 2.31}, {@code 0.452}, {@code 3e-2}, {@code 1.5e-4}, {@code NaN}: below 0.1 in the "3e-2" style of rates. */
  static String format(double x) {
    if (!Double.isFinite(x)) {
      return Double.toString(x);
    }
    if (x == 0) {
      return "0";
    }
    double a = Math.abs(x);
    if (a >= 0.1 && a < 1e4) {
      return strip(String.format(Locale.ROOT, "%.3g", x));
    }
    int exp = (int) Math.floor(Math.log10(a));
    double mantissa = x / Math.pow(10, exp);
    if (Math.abs(Math.round(mantissa * 10) / 10.0) >= 10) {
      mantissa /= 10;
      exp++;
    }
    return strip(String.format(Locale.ROOT, "%.1f", mantissa)) + "e" + exp;
  }

  /** A share as a percentage: {@code 78%}, {@code 0.4%}. */
  static String percent(double share) {
    double p = share * 100;
    return (p >= 10 || p == 0 ? String.format(Locale.ROOT, "%.0f", p) : strip(String.format(Locale.ROOT, "%.1f", p))) + "%";
  }

  /** {@code x} rounded to one significant digit, the precision a suggested rate deserves. */
  static double oneDigit(double x) {
    if (!(x > 0) || !Double.isFinite(x)) {
      return x;
    }
    double scale = Math.pow(10, Math.floor(Math.log10(x)));
    return Math.round(x / scale) * scale;
  }

  private static String strip(String s) {
    if (!s.contains(".") || s.contains("e")) {
      return s;
    }
    String t = s.replaceAll("0+$", "");
    return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
  }
}
