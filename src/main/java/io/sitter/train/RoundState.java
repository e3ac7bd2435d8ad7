package io.sitter.train;

import java.io.Serializable;

/**
 * What a round broadcasts: the network (configuration JSON, flat parameters, flat updater state,
 * iteration and epoch counts) and which minibatches of the epoch each partition fits. Arrays are
 * {@code float[]}: INDArray does not survive Spark's Kryo in M2.1 (it arrives with data()==null without ND4J's Kryo registrator, which exists only at M2).
 */
final class RoundState implements Serializable {
  private static final long serialVersionUID = 1L;

  final String configurationJson;
  final float[] params;
  final float[] updaterState;
  final int iteration;
  final int epochCount;
  /** 1-based global round number: seeds ND4J's RNG with the partition. */
  final int round;
  /** 1-based epoch: seeds the shard's shuffle with the partition. */
  final int epoch;
  final int firstBatch;
  final int batches;
  final int batchSize;
  final int numClasses;
  final long seed;

  RoundState(String configurationJson, float[] params, float[] updaterState, int iteration, int epochCount,
      int round, int epoch, int firstBatch, int batches, int batchSize, int numClasses, long seed) {
    this.configurationJson = configurationJson;
    this.params = params;
    this.updaterState = updaterState;
    this.iteration = iteration;
    this.epochCount = epochCount;
    this.round = round;
    this.epoch = epoch;
    this.firstBatch = firstBatch;
    this.batches = batches;
    this.batchSize = batchSize;
    this.numClasses = numClasses;
    this.seed = seed;
  }
}
