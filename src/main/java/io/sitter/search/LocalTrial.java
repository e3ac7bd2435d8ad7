package io.sitter.search;

import io.sitter.babysit.AbortRule;
import io.sitter.model.FloatArrays;
import io.sitter.config.SitterConfig;
import io.sitter.metrics.EvaluationAccumulator;
import io.sitter.metrics.EvaluationResult;
import io.sitter.model.NativeMemoryLimit;
import io.sitter.model.NetworkFactory;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Executor side of {@code trials} mode: trains one configuration on the executor's copy of the data,
 * on one native thread, stopping early when the loss explodes (NaN/Inf, or above
 * {@code babysit.abortLossFactor} times the initial loss). A pure function of (spec, data): the
 * minibatch order and initialisation come from the trial's seed, so a re-run task repeats it.
 */
final class LocalTrial {
  private LocalTrial() {}

  static TrialOutcome run(TrialSpec spec, TrialData data) {
    long start = System.nanoTime();
    // One native thread per task (two oversubscribed tasks halve throughput on 2 cores); OpenBLAS ignores ND4J's own setting.
    Nd4j.factory().blas().setMaxThreads(1);
    SitterConfig config = spec.config();
    MultiLayerNetwork net;
    double initialLoss;
    if (spec.resumeFrom() == null) {
      net = NetworkFactory.build(config.model(), config.train(), data.numFeatures, data.numClasses, spec.seed());
      initialLoss = score(net, batch(data.trainFeatures, data.trainLabels, data, firstRows(data.trainRows(), 1024)));
    } else {
      TrialState s = spec.resumeFrom();
      net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(s.configurationJson()));
      net.init(Nd4j.createFromArray(s.params().clone()).reshape(1, s.params().length), false);
      if (s.updaterState().length > 0) {
        FloatArrays.write(s.updaterState(), net.getUpdater().getStateViewArray());
      }
      net.setIterationCount(s.iteration());
      initialLoss = s.initialLoss();
    }
    double factor = config.babysit().abortLossFactor();
    int batchSize = config.train().minibatchSize();
    double lossSum = 0;
    int batches = 0;
    int epoch = spec.startEpoch();
    for (int e = 0; e < spec.epochs(); e++, epoch++) {
      int[] order = shuffled(data.trainRows(), new SplittableRandom(spec.seed() * 1_000_003L + epoch));
      lossSum = 0;
      batches = 0;
      for (int from = 0; from < order.length; from += batchSize) {
        int[] rows = Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize));
        NativeMemoryLimit.check();
        net.fit(batch(data.trainFeatures, data.trainLabels, data, rows));
        double loss = net.score();
        if (AbortRule.diverged(loss, initialLoss, factor)) {
          String why = AbortRule.describe(loss, initialLoss, factor,
              "at epoch " + (epoch + 1) + ", iteration " + net.getIterationCount());
          return new TrialOutcome(spec.trial(), true, "exploded: " + why, epoch, initialLoss, loss, Double.NaN,
              Double.NaN, Double.NaN, seconds(start), null);
        }
        lossSum += loss;
        batches++;
      }
    }
    double[] val = lossAndAccuracy(net, data.valFeatures, data.valLabels, data);
    double[] train = lossAndAccuracy(net, data.trainFeatures, data.trainLabels, data);
    // Plain SGD keeps no updater state: DL4J then has no state view at all.
    INDArray updaterView = net.getUpdater().getStateViewArray();
    TrialState state = new TrialState(net.getLayerWiseConfigurations().toJson(), FloatArrays.read(net.params()),
        updaterView == null ? new float[0] : FloatArrays.read(updaterView), net.getIterationCount(), initialLoss);
    return new TrialOutcome(spec.trial(), false, null, epoch, initialLoss, lossSum / Math.max(1, batches), train[1],
        val[0], val[1], seconds(start), state);
  }

  /** Mean cross-entropy and accuracy in inference mode, in chunks, by the evaluator's own accumulator. */
  static double[] lossAndAccuracy(MultiLayerNetwork net, float[] features, int[] labels, TrialData data) {
    EvaluationAccumulator acc = new EvaluationAccumulator(data.numClasses);
    int chunk = 1024;
    for (int from = 0; from < labels.length; from += chunk) {
      int n = Math.min(chunk, labels.length - from);
      NativeMemoryLimit.check();
      INDArray x = Nd4j.createFromArray(Arrays.copyOfRange(features, from * data.numFeatures, (from + n) * data.numFeatures))
          .reshape(n, data.numFeatures);
      float[] p = FloatArrays.read(net.output(x, false));
      for (int i = 0; i < n; i++) {
        acc.add(labels[from + i], p, i * data.numClasses);
      }
    }
    EvaluationResult r = EvaluationResult.of(acc, null);
    return new double[] {r.loss(), r.accuracy()};
  }

  /**
   * The loss in training mode: BatchNorm normalizes with the batch's statistics, as in the minibatch
   * losses the abort rule compares with this; in inference mode an untrained BatchNorm layer (running
   * mean 0, variance 1) does not normalize at all. The forward pass leaves the parameters as they
   * are: DL4J updates BatchNorm's running statistics in the backward pass.
   */
  private static double score(MultiLayerNetwork net, DataSet ds) {
    return net.score(ds, true);
  }

  static DataSet batch(float[] features, int[] labels, TrialData data, int[] rows) {
    float[] x = new float[rows.length * data.numFeatures];
    float[] y = new float[rows.length * data.numClasses];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(features, rows[i] * data.numFeatures, x, i * data.numFeatures, data.numFeatures);
      y[i * data.numClasses + labels[rows[i]]] = 1f;
    }
    return new DataSet(Nd4j.createFromArray(x).reshape(rows.length, data.numFeatures).castTo(DataType.FLOAT),
        Nd4j.createFromArray(y).reshape(rows.length, data.numClasses));
  }

  private static int[] firstRows(int n, int max) {
    int[] rows = new int[Math.min(n, max)];
    Arrays.setAll(rows, i -> i);
    return rows;
  }

  static int[] shuffled(int n, SplittableRandom random) {
    int[] order = new int[n];
    Arrays.setAll(order, i -> i);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
