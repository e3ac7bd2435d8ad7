package io.sitter.config;

import java.util.Optional;

/**
 * The user's input is wrong: a missing or malformed file, a bad row, an unknown config key, a value
 * out of range. The CLI maps it to exit code 2. The message must name the file, row, key or flag.
 *
 * <p>Spark wraps executor-side exceptions into a {@code SparkException} whose message is the
 * remote stack trace as text (the class does not survive the trip), so {@link #find(Throwable)}
 * also recognises this class by name inside such messages.
 */
public class BadInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final String MARKER = BadInputException.class.getName() + ": ";

  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The bad-input cause of {@code t}, local or carried in a Spark task failure's message. */
  public static Optional<BadInputException> find(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof BadInputException bad) {
        return Optional.of(bad);
      }
      String m = c.getMessage();
      int at = m == null ? -1 : m.indexOf(MARKER);
      if (at >= 0) {
        String rest = m.substring(at + MARKER.length());
        int end = rest.indexOf('\n');
        return Optional.of(new BadInputException(end < 0 ? rest : rest.substring(0, end), t));
      }
    }
    return Optional.empty();
  }
}
