package io.sitter.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.io.Serializable;

/**
 * How to train: updater, learning-rate schedule, epochs, minibatches and the averaging protocol.
 *
 * @param averagingFrequency minibatches each partition fits per round (K); 0 = choose K so that a
 *     round takes about {@code targetRoundSeconds}
 * @param lrDecaySteps iterations over which the learning rate is multiplied by {@code lrDecayRate}
 *     (step: at once at each multiple; exponential: smoothly)
 * @param warmupIterations iterations over which the rate ramps linearly up to its schedule's value,
 *     iteration i (from 0) using (i + 1) / warmupIterations of it; 0 = no warm-up
 * @param checkpointEveryEpochs write a checkpoint every this many epochs (0 = only at the end)
 * @param blockMomentum momentum of the outer step on the averaged update (BMUF, Chen and Huo 2016);
 *     0 with {@code blockLearningRate} 1 is plain parameter averaging
 * @param blockLearningRate scale of a round's averaged displacement in the outer step
 * @param blockNesterov start each round from the outer step's look-ahead point (needs blockMomentum > 0)
 */
public record TrainConfig(
    Updater updater,
    double learningRate,
    double momentum,
    LrDecay lrDecay,
    double lrDecayRate,
    int lrDecaySteps,
    int warmupIterations,
    int epochs,
    int minibatchSize,
    int averagingFrequency,
    double targetRoundSeconds,
    boolean averageUpdaterState,
    double blockMomentum,
    double blockLearningRate,
    boolean blockNesterov,
    boolean reestimateBatchNorm,
    int checkpointEveryEpochs,
    long seed)
    implements Serializable {

  public TrainConfig {
    Check.present("train.updater", updater);
    Check.positive("train.learningRate", learningRate, 10);
    Check.halfOpen("train.momentum", momentum, 0, 1);
    Check.present("train.lrDecay", lrDecay);
    Check.positive("train.lrDecayRate", lrDecayRate, 1);
    Check.atLeast("train.lrDecaySteps", lrDecaySteps, 1);
    Check.atLeast("train.warmupIterations", warmupIterations, 0);
    Check.atLeast("train.epochs", epochs, 1);
    Check.atLeast("train.minibatchSize", minibatchSize, 1);
    Check.atLeast("train.averagingFrequency", averagingFrequency, 0);
    Check.positive("train.targetRoundSeconds", targetRoundSeconds, 3600);
    Check.atLeast("train.checkpointEveryEpochs", checkpointEveryEpochs, 0);
    Check.halfOpen("train.blockMomentum", blockMomentum, 0, 1);
    Check.positive("train.blockLearningRate", blockLearningRate, 10);
    if (blockNesterov && blockMomentum == 0) {
      // A look-ahead by zero velocity is plain averaging: refuse rather than let it look switched on.
      throw new IllegalArgumentException("train.blockNesterov needs train.blockMomentum > 0, got 0");
    }
  }

  /** Gradient updaters. */
  public enum Updater {
    SGD, NESTEROVS, ADAM, RMSPROP;

    @JsonCreator
    public static Updater of(String s) {
      return Choices.parse(Updater.class, "train.updater", s);
    }

    @JsonValue
    public String key() {
      return Choices.name(this);
    }
  }

  /** Learning-rate schedules over iterations. */
  public enum LrDecay {
    NONE, STEP, EXPONENTIAL;

    @JsonCreator
    public static LrDecay of(String s) {
      return Choices.parse(LrDecay.class, "train.lrDecay", s);
    }

    @JsonValue
    public String key() {
      return Choices.name(this);
    }
  }
}
