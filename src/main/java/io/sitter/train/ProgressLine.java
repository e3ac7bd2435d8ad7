package io.sitter.train;

import io.sitter.metrics.RoundMetrics;
import java.io.PrintWriter;
import java.util.Locale;

/** One console line per round: epoch, round, loss, validation accuracy when fresh, samples/s, ETA. */
final class ProgressLine {
  private final PrintWriter out;
  private final int epochs;
  private final int roundsPerEpoch;
  private final int firstRound;
  private double seconds;

  ProgressLine(PrintWriter out, int epochs, int roundsPerEpoch, int roundsDone) {
    this.out = out;
    this.epochs = epochs;
    this.roundsPerEpoch = roundsPerEpoch;
    this.firstRound = roundsDone;
  }

  void print(RoundMetrics m) {
    seconds += m.roundSeconds();
    int total = epochs * roundsPerEpoch;
    int done = m.round() - firstRound;
    double eta = done == 0 ? 0 : seconds / done * (total - m.round());
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d  round %d/%d  loss %.4f  acc %.3f",
        m.epoch(), epochs, m.round(), total, m.trainLoss(), m.trainAccuracy()));
    if (m.valAccuracy() != null) {
      sb.append(String.format(Locale.ROOT, "  val_acc %.4f", m.valAccuracy()));
    }
    sb.append(String.format(Locale.ROOT, "  %,.0f samples/s  ETA %s", m.samplesPerSecond(), duration(eta)));
    out.println(sb);
    out.flush();
  }

  static String duration(double s) {
    long t = Math.round(s);
    if (t >= 3600) {
      return String.format(Locale.ROOT, "%dh%02dm", t / 3600, t % 3600 / 60);
    }
    return t >= 60 ? String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60) : t + "s";
  }
}
