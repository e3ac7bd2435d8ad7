package io.sitter.search;

import java.util.List;

/** Runs a batch of trials somewhere on the cluster; outcomes in the order of the specs. */
interface TrialRunner extends AutoCloseable {
  List<TrialOutcome> run(List<TrialSpec> specs);

  @Override
  void close();
}
