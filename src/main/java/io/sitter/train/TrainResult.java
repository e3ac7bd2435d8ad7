package io.sitter.train;

import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A finished run.
 *
 * @param valAccuracyBeforeReestimate validation accuracy before the BatchNorm re-estimation pass
 *     ({@code null} without validation split or evaluator, or when the pass is off)
 * @param trainLoss the last round's training loss; NaN when no round ran in this call (a resume
 *     from the final checkpoint)
 * @param testAccuracy accuracy on the test split ({@code null} when there is none)
 */
public record TrainResult(
    Path runDir,
    MultiLayerNetwork model,
    int epochs,
    int rounds,
    int averagingFrequency,
    long examplesSeen,
    double trainLoss,
    Double valLoss,
    Double valAccuracy,
    Double valAccuracyBeforeReestimate,
    Double testAccuracy,
    double seconds) {}
