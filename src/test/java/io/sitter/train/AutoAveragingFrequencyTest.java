package io.sitter.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AutoAveragingFrequencyTest {
  @Test
  void aRoundOfTheDefaultNetTakesAboutTheTargetAtTheMeasuredThroughput() {
    // 17,000 samples/s on one core (as TrainJob assumes) / 128 per minibatch * 2 s = 265.6 minibatches.
    assertEquals(266, TrainJob.autoAveragingFrequency(271_370, 128, 2.0, 10_000));
    // Twice the parameters, half the throughput.
    assertEquals(133, TrainJob.autoAveragingFrequency(2 * 271_370, 128, 2.0, 10_000));
  }

  @Test
  void neverMoreThanAnEpochsMinibatchesNorFewerThanOne() {
    assertEquals(211, TrainJob.autoAveragingFrequency(271_370, 128, 2.0, 211));
    assertEquals(1, TrainJob.autoAveragingFrequency(1_000_000_000L, 128, 0.001, 211));
  }
}
