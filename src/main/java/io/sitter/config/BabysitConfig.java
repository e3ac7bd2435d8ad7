package io.sitter.config;

import java.io.Serializable;

/**
 * Thresholds of the babysitter's checks and monitors.
 *
 * <p>Each threshold's reason and source is beside it in conf/default.yaml.
 *
 * @param initialLossTolerance relative distance of the untrained loss from what the init's own
 *     logits give for labels independent of the inputs, still judged "pass"
 * @param vanishingStdRatio warn when the activation std falls at every hidden layer and the last
 *     hidden layer's std is below this share of the first's
 * @param abortLossFactor abort when the training loss exceeds this multiple of the initial loss
 */
public record BabysitConfig(
    int sampleSize,
    double initialLossTolerance,
    double initialLossExcess,
    double regularizationProbeL2,
    double inputScaleMax,
    double imbalanceRatio,
    int overfitExamples,
    int overfitMaxIterations,
    double overfitLossTarget,
    int lrProbeSteps,
    double lrProbeMin,
    double lrProbeMax,
    double warmupShare,
    int minJudgedRounds,
    double updateRatioLow,
    double updateRatioHigh,
    double plateauDecrease,
    double oscillationFlips,
    double oscillationAmplitude,
    int probeBatchSize,
    double deadUnitThreshold,
    double saturationThreshold,
    double vanishingStdRatio,
    double explodingStdRatio,
    double vanishingGradientRatio,
    double explodingGradientRatio,
    int histogramBins,
    double overfitGap,
    double underfitAccuracy,
    double chanceAlpha,
    double minorityRecall,
    double abortLossFactor)
    implements Serializable {

  public BabysitConfig {
    Check.atLeast("babysit.sampleSize", sampleSize, 1);
    Check.positive("babysit.initialLossTolerance", initialLossTolerance, 10);
    Check.positive("babysit.initialLossExcess", initialLossExcess, 1e3);
    Check.positive("babysit.regularizationProbeL2", regularizationProbeL2, 1e3);
    Check.positive("babysit.inputScaleMax", inputScaleMax, 1e12);
    Check.positive("babysit.imbalanceRatio", imbalanceRatio, 1e12);
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
    Check.within("babysit.warmupShare", warmupShare, 0, 0.9);
    Check.atLeast("babysit.minJudgedRounds", minJudgedRounds, 1);
    Check.positive("babysit.updateRatioLow", updateRatioLow, 1);
    Check.positive("babysit.updateRatioHigh", updateRatioHigh, 100);
    if (updateRatioLow >= updateRatioHigh) {
      throw new IllegalArgumentException("babysit.updateRatioLow must be < babysit.updateRatioHigh, got "
          + updateRatioLow + " >= " + updateRatioHigh);
    }
    Check.within("babysit.plateauDecrease", plateauDecrease, 0, 1);
    Check.within("babysit.oscillationFlips", oscillationFlips, 0, 1);
    Check.positive("babysit.oscillationAmplitude", oscillationAmplitude, 10);
    Check.atLeast("babysit.probeBatchSize", probeBatchSize, 1);
    Check.within("babysit.deadUnitThreshold", deadUnitThreshold, 0, 1);
    Check.within("babysit.saturationThreshold", saturationThreshold, 0, 1);
    Check.within("babysit.minorityRecall", minorityRecall, 0, 1);
    Check.within("babysit.vanishingStdRatio", vanishingStdRatio, 0, 1);
    Check.positive("babysit.explodingStdRatio", explodingStdRatio, 1e12);
    Check.within("babysit.vanishingGradientRatio", vanishingGradientRatio, 0, 1);
    Check.positive("babysit.explodingGradientRatio", explodingGradientRatio, 1e12);
    Check.atLeast("babysit.histogramBins", histogramBins, 2);
    Check.within("babysit.overfitGap", overfitGap, 0, 1);
    Check.within("babysit.underfitAccuracy", underfitAccuracy, 0, 1);
    Check.within("babysit.chanceAlpha", chanceAlpha, 0, 0.5);
    Check.positive("babysit.abortLossFactor", abortLossFactor, 1e6);
  }
}
