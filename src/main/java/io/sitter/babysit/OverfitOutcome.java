package io.sitter.babysit;

import java.io.Serializable;

/**
 * What happened when a fresh network, regularization and dropout off, was trained on a few examples
 * (preflight check 3); computed in one task on an executor.
 *
 * @param examples size of the subset
 * @param iterations full-batch iterations run (stops early once the loss is below target at 100% accuracy)
 * @param initialLoss loss on the subset before the first update
 * @param finalLoss loss after the last update
 * @param finalAccuracy accuracy after the last update
 * @param bestAccuracy the highest accuracy any classifier can reach on the subset: below 1 when
 *     identical feature vectors carry different labels
 * @param learningRate the rate used
 */
record OverfitOutcome(
    int examples, int iterations, double initialLoss, double finalLoss, double finalAccuracy, double bestAccuracy,
    double learningRate)
    implements Serializable {}
