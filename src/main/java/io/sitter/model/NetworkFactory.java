package io.sitter.model;

import io.sitter.config.ModelConfig;
import io.sitter.config.TrainConfig;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

/**
 * Builds the BN-ReLU MLP from {@link ModelConfig} and {@link TrainConfig}. No Spark here.
 *
 * <p>Layer layout, with BatchNorm on, for each hidden size h: {@code Dense(identity)} ->
 * {@code BatchNormalization} -> {@code Activation}; then {@code Output(softmax, MCXENT)}. So hidden
 * block i occupies layer indices 3i, 3i+1, 3i+2 and the output layer is last. With BatchNorm off
 * each hidden block is one {@code Dense(activation)} layer.
 *
 * <p>BatchNorm stores its running variance ({@code useLogStd(false)}), not DL4J's default log10 of
 * the std: pooled merging across partitions needs the variance, and arithmetic means of log-std
 * are geometric means of the std (DL4J's default useLogStd=true stores log10 of the std).
 */
public final class NetworkFactory {
  private NetworkFactory() {}

  /** The network, initialised from {@code seed}. */
  public static MultiLayerNetwork build(ModelConfig model, TrainConfig train, int nIn, int nClasses, long seed) {
    MultiLayerNetwork net = new MultiLayerNetwork(configuration(model, train, nIn, nClasses, seed));
    net.init();
    return net;
  }

  /** The DL4J configuration; its JSON form is what executors rebuild the network from. */
  public static MultiLayerConfiguration configuration(
      ModelConfig model, TrainConfig train, int nIn, int nClasses, long seed) {
    if (nIn < 1) {
      throw new IllegalArgumentException("number of input features must be >= 1, got " + nIn);
    }
    if (nClasses < 2) {
      throw new IllegalArgumentException("number of classes must be >= 2, got " + nClasses);
    }
    NeuralNetConfiguration.ListBuilder list =
        new NeuralNetConfiguration.Builder()
            .seed(seed)
            .dataType(DataType.FLOAT)
            .updater(updater(train))
            .l2(model.l2())
            .list();
    int in = nIn;
    int layer = 0;
    double retain = 1.0 - model.dropout();
    for (int h : model.hiddenLayers()) {
      DenseLayer.Builder dense =
          new DenseLayer.Builder().nIn(in).nOut(h).biasInit(model.biasInit());
      initWeights(dense, model.weightInit(), in);
      if (layer > 0 && model.dropout() > 0) {
        dense.dropOut(retain); // DL4J drops a layer's input: this drops the previous block's output
      }
      if (model.batchNorm()) {
        list.layer(dense.activation(Activation.IDENTITY).build());
        list.layer(new BatchNormalization.Builder().nIn(h).nOut(h).useLogStd(false).build());
        list.layer(new ActivationLayer.Builder().activation(activation(model.activation())).build());
      } else {
        list.layer(dense.activation(activation(model.activation())).build());
      }
      in = h;
      layer++;
    }
    OutputLayer.Builder out =
        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
            .nIn(in)
            .nOut(nClasses)
            .activation(Activation.SOFTMAX)
            .biasInit(0.0);
    // He suits layers feeding a ReLU; the softmax layer gets N(0, 1/n) so the untrained net's
    // loss sits near ln(C) (CS231n's "diffuse softmax"). small and zero apply everywhere.
    ModelConfig.WeightInit outInit =
        model.weightInit() == ModelConfig.WeightInit.HE ? ModelConfig.WeightInit.XAVIER : model.weightInit();
    initWeights(out, outInit, in);
    if (!model.hiddenLayers().isEmpty() && model.dropout() > 0) {
      out.dropOut(retain);
    }
    list.layer(out.build());
    return list.build();
  }

  /** The configured updater, with its learning-rate schedule. */
  public static IUpdater updater(TrainConfig train) {
    ISchedule schedule = schedule(train);
    return switch (train.updater()) {
      case SGD -> schedule == null ? new Sgd(train.learningRate()) : new Sgd(schedule);
      case NESTEROVS -> schedule == null
          ? new Nesterovs(train.learningRate(), train.momentum())
          : new Nesterovs(schedule, train.momentum());
      case ADAM -> schedule == null ? new Adam(train.learningRate()) : new Adam(schedule);
      case RMSPROP -> schedule == null ? new RmsProp(train.learningRate()) : new RmsProp(schedule);
    };
  }

  /** The learning rate at {@code iteration}, as the updater will use it. */
  public static double learningRate(TrainConfig train, int iteration) {
    ISchedule s = schedule(train);
    return s == null ? train.learningRate() : s.valueAt(iteration, 0);
  }

  private static ISchedule schedule(TrainConfig train) {
    ISchedule decay = decay(train);
    if (train.warmupIterations() == 0) {
      return decay;
    }
    // The iteration is the network's own count, which sitter carries across rounds (every
    // partition's step j of a round has the same count), so all partitions warm up alike and a
    // resumed run continues the ramp.
    return new WarmupSchedule(decay == null ? new FixedSchedule(train.learningRate()) : decay, train.warmupIterations());
  }

  private static ISchedule decay(TrainConfig train) {
    return switch (train.lrDecay()) {
      case NONE -> null;
      case STEP -> new StepSchedule(ScheduleType.ITERATION, train.learningRate(), train.lrDecayRate(), train.lrDecaySteps());
      // lr * gamma^iteration with gamma chosen so the rate falls by lrDecayRate every lrDecaySteps.
      case EXPONENTIAL -> new ExponentialSchedule(
          ScheduleType.ITERATION, train.learningRate(), Math.pow(train.lrDecayRate(), 1.0 / train.lrDecaySteps()));
    };
  }

  private static org.nd4j.linalg.activations.Activation activation(ModelConfig.Activation a) {
    return switch (a) {
      case RELU -> Activation.RELU;
      case LEAKYRELU -> Activation.LEAKYRELU;
      case ELU -> Activation.ELU;
      case TANH -> Activation.TANH;
      case SIGMOID -> Activation.SIGMOID;
    };
  }

  /** Explicit normal distributions: DL4J's own names (XAVIER, RELU) use other variances than CS231n's. */
  private static void initWeights(
      org.deeplearning4j.nn.conf.layers.FeedForwardLayer.Builder<?> b,
      ModelConfig.WeightInit init,
      int fanIn) {
    switch (init) {
      case HE -> b.weightInit(new NormalDistribution(0, Math.sqrt(2.0 / fanIn)));
      case XAVIER -> b.weightInit(new NormalDistribution(0, Math.sqrt(1.0 / fanIn)));
      case SMALL -> b.weightInit(new NormalDistribution(0, 0.01));
      case ZERO -> b.weightInit(WeightInit.ZERO);
    }
  }
}
