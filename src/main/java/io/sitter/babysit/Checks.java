package io.sitter.babysit;

import java.util.List;

/** The registry of the babysitter's checks, each list in the order its verdicts are listed. */
final class Checks {
  /** Judged once before training, on the preflight's numbers. */
  static final List<Check<PreflightEvidence>> PREFLIGHT = List.of(
      new InitialLossCheck(),
      new RegularizationCheck(),
      new InputScaleCheck(),
      new ClassBalanceCheck(),
      new OverfitCheck(),
      new LrProbeCheck());

  /** Judged after every round, on the rounds so far. */
  static final List<Check<MonitorEvidence>> MONITOR = List.of(
      new LossTrendCheck(),
      new UpdateRatioCheck(),
      new DeadUnitsCheck(),
      new SaturationCheck(),
      new SymmetryCheck(),
      new ActivationScaleCheck(),
      new GradientFlowCheck(),
      new FitCheck(),
      new ClassRecallCheck());

  private Checks() {}
}
