package io.sitter.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One sitter command line run in this JVM through {@link SitterMain#execute}, its output captured. */
record CliRun(int code, String out, String err) {
  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SitterMain.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new CliRun(code, out.toString(), err.toString());
  }
}
