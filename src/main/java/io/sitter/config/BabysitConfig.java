package io.sitter.config;

import java.io.Serializable;

/**
 * Thresholds of the babysitter's checks and monitors.
 *
 * @param initialLossTolerance relative distance |observed - ln C| / ln C still judged "pass"
 * @param vanishingStdRatio warn when the activation std falls at every hidden layer and the last
 *     hidden layer's std is below this share of the first's
 * @param abortLossFactor abort when the training loss exceeds this multiple of the initial loss
 */
public record BabysitConfig(
    int sampleSize,
    double initialLossTolerance,
    double regularizationProbeL2,
    int overfitExamples,
    int overfitMaxIterations,
    double overfitLossTarget,
    int lrProbeSteps,
    double lrProbeMin,
    double lrProbeMax,
    double updateRatioLow,
    double updateRatioHigh,
    int probeBatchSize,
    double deadUnitThreshold,
    double saturationThreshold,
    double vanishingStdRatio,
    int histogramBins,
    double overfitGap,
    double underfitAccuracy,
    double abortLossFactor)
    implements Serializable {

  public BabysitConfig {
    Check.atLeast("babysit.sampleSize", sampleSize, 1);
    Check.positive("babysit.initialLossTolerance", initialLossTolerance, 10);
    Check.positive("babysit.regularizationProbeL2", regularizationProbeL2, 1e3);
    Check.atLeast("babysit.overfitExamples", overfitExamples, 1);
    Check.atLeast("babysit.overfitMaxIterations", overfitMaxIterations, 1);
    Check.positive("babysit.overfitLossTarget", overfitLossTarget, 10);
    Check.atLeast("babysit.lrProbeSteps", lrProbeSteps, 10);
    Check.positive("babysit.lrProbeMin", lrProbeMin, 10);
    Check.positive("babysit.lrProbeMax", lrProbeMax, 100);
    if (lrProbeMin >= lrProbeMax) {
      throw new IllegalArgumentException(
          "babysit.lrProbeMin must be < babysit.lrProbeMax, got " + lrProbeMin + " >= " + lrProbeMax);
    }
    Check.positive("babysit.updateRatioLow", updateRatioLow, 1);
    Check.positive("babysit.updateRatioHigh", updateRatioHigh, 100);
    if (updateRatioLow >= updateRatioHigh) {
      throw new IllegalArgumentException("babysit.updateRatioLow must be < babysit.updateRatioHigh, got "
          + updateRatioLow + " >= " + updateRatioHigh);
    }
    Check.atLeast("babysit.probeBatchSize", probeBatchSize, 1);
    Check.within("babysit.deadUnitThreshold", deadUnitThreshold, 0, 1);
    Check.within("babysit.saturationThreshold", saturationThreshold, 0, 1);
    Check.within("babysit.vanishingStdRatio", vanishingStdRatio, 0, 1);
    Check.atLeast("babysit.histogramBins", histogramBins, 2);
    Check.within("babysit.overfitGap", overfitGap, 0, 1);
    Check.within("babysit.underfitAccuracy", underfitAccuracy, 0, 1);
    Check.positive("babysit.abortLossFactor", abortLossFactor, 1e6);
  }
}
