package io.sitter.search;

import java.io.Serializable;

/**
 * Where a trial left off: the network, its updater state and iteration count, and the loss it
 * started from (the abort rule compares against it).
 */
record TrialState(String configurationJson, float[] params, float[] updaterState, int iteration, double initialLoss)
    implements Serializable {}
