package io.sitter.babysit;

import java.util.List;

/** The registry of the checks judged after every round, in the order their verdicts are listed. */
final class MonitorChecks {
  static final List<MonitorCheck> ALL = List.of(
      new LossTrendCheck(),
      new UpdateRatioCheck(),
      new DeadUnitsCheck(),
      new SaturationCheck(),
      new SymmetryCheck(),
      new ActivationScaleCheck(),
      new GradientFlowCheck(),
      new FitCheck());

  private MonitorChecks() {}
}
