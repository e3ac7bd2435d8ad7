package io.sitter.search;

import java.io.Serializable;

/**
 * What one call of a trial produced.
 *
 * @param reason why it was aborted, null when it completed
 * @param state the state to continue from, null when aborted
 */
record TrialOutcome(
    int trial,
    boolean aborted,
    String reason,
    int epochsDone,
    double initialLoss,
    double trainLoss,
    double trainAccuracy,
    double valLoss,
    double valAccuracy,
    double seconds,
    TrialState state)
    implements Serializable {}
