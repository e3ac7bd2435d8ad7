package io.sitter.babysit;

import io.sitter.model.NativeMemoryLimit;
import io.sitter.model.NetworkPayload;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * The executor side of the preflight checks: static functions over a partition's rows, shipped
 * without the driver job. Every network here runs in training mode (BatchNorm on batch statistics),
 * the mode the first minibatches of real training see, so the untrained net's loss is the one the
 * abort rule later compares with.
 */
final class PreflightFunctions {
  private PreflightFunctions() {}

  /** One native thread per task (measured: two tasks with ND4J's default 2 OpenMP + 2 OpenBLAS threads each halve throughput on 2 cores; OpenBLAS ignores ND4J's own setting). */
  static void pinThreads() {
    Nd4j.factory().blas().setMaxThreads(1);
  }

  /** Loss sums of one partition of the sample, with and without L2, for checks 1 and 2. */
  static final class LossPartition implements FlatMapFunction<Iterator<Row>, LossAccumulator> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<NetworkPayload> plain;
    private final Broadcast<NetworkPayload> regularized;
    private final int numFeatures;
    private final int numClasses;
    private final int minibatchSize;
    private final String source;

    LossPartition(Broadcast<NetworkPayload> plain, Broadcast<NetworkPayload> regularized, int numFeatures,
        int numClasses, int minibatchSize, String source) {
      this.plain = plain;
      this.regularized = regularized;
      this.numFeatures = numFeatures;
      this.numClasses = numClasses;
      this.minibatchSize = minibatchSize;
      this.source = source;
    }

    @Override
    public Iterator<LossAccumulator> call(Iterator<Row> rows) {
      pinThreads();
      List<Row> all = new ArrayList<>();
      rows.forEachRemaining(all::add);
      LossAccumulator acc = new LossAccumulator(numClasses, numFeatures);
      if (!all.isEmpty()) {
        MultiLayerNetwork net = plain.value().toNetwork();
        MultiLayerNetwork reg = regularized.value().toNetwork();
        for (List<Row> chunk : ExampleRows.balancedChunks(all, minibatchSize)) {
          DataSet ds = ExampleRows.toDataSet(chunk, numFeatures, numClasses, source);
          // score(ds, true): the mean data loss over the minibatch plus the regularization penalty.
          acc.add(chunk.size(), net.score(ds, true), reg.score(ds, true), labels(ds));
          acc.addOutputs(io.sitter.model.FloatArrays.read(net.output(ds.getFeatures(), true).castTo(DataType.FLOAT)),
              io.sitter.model.FloatArrays.read(ds.getFeatures().castTo(DataType.FLOAT)));
        }
      }
      return List.of(acc).iterator();
    }
  }

  /** Check 3: trains a fresh net full-batch on the (one-partition) subset until it memorises it. */
  static final class OverfitTask implements FlatMapFunction<Iterator<Row>, OverfitOutcome> {
    private static final long serialVersionUID = 1L;
    private final NetworkPayload network;
    private final double learningRate;
    private final int maxIterations;
    private final double lossTarget;
    private final int numFeatures;
    private final int numClasses;
    private final String source;

    OverfitTask(NetworkPayload network, double learningRate, int maxIterations, double lossTarget, int numFeatures,
        int numClasses, String source) {
      this.network = network;
      this.learningRate = learningRate;
      this.maxIterations = maxIterations;
      this.lossTarget = lossTarget;
      this.numFeatures = numFeatures;
      this.numClasses = numClasses;
      this.source = source;
    }

    @Override
    public Iterator<OverfitOutcome> call(Iterator<Row> rows) {
      pinThreads();
      List<Row> all = new ArrayList<>();
      rows.forEachRemaining(all::add);
      if (all.isEmpty()) {
        return Collections.emptyIterator();
      }
      DataSet ds = ExampleRows.toDataSet(all, numFeatures, numClasses, source);
      MultiLayerNetwork net = network.toNetwork();
      double[] start = lossAndAccuracy(net, ds);
      double[] now = start;
      int iterations = 0;
      while (iterations < maxIterations && !(now[0] <= lossTarget && now[1] >= 1.0) && Double.isFinite(now[0])) {
        NativeMemoryLimit.check();
        net.fit(ds);
        iterations++;
        now = lossAndAccuracy(net, ds);
      }
      return List.of(new OverfitOutcome(all.size(), iterations, start[0], now[0], now[1],
          bestAccuracy(ds), learningRate)).iterator();
    }
  }

  /** Check 4: the learning-rate range test on one partition of a sample. */
  static final class LrProbeTask implements FlatMapFunction<Iterator<Row>, LrProbeOutcome> {
    private static final long serialVersionUID = 1L;
    private final NetworkPayload network;
    private final double minRate;
    private final double maxRate;
    private final int steps;
    private final int minibatchSize;
    private final long seed;
    private final int numFeatures;
    private final int numClasses;
    private final String source;

    LrProbeTask(NetworkPayload network, double minRate, double maxRate, int steps, int minibatchSize, long seed,
        int numFeatures, int numClasses, String source) {
      this.network = network;
      this.minRate = minRate;
      this.maxRate = maxRate;
      this.steps = steps;
      this.minibatchSize = minibatchSize;
      this.seed = seed;
      this.numFeatures = numFeatures;
      this.numClasses = numClasses;
      this.source = source;
    }

    @Override
    public Iterator<LrProbeOutcome> call(Iterator<Row> rows) {
      pinThreads();
      List<Row> all = new ArrayList<>();
      rows.forEachRemaining(all::add);
      if (all.isEmpty()) {
        return Collections.emptyIterator();
      }
      Collections.shuffle(all, new Random(seed));
      List<DataSet> batches = new ArrayList<>();
      for (List<Row> chunk : ExampleRows.balancedChunks(all, Math.min(minibatchSize, all.size()))) {
        batches.add(ExampleRows.toDataSet(chunk, numFeatures, numClasses, source));
      }
      MultiLayerNetwork net = network.toNetwork();
      double gamma = Math.pow(maxRate / minRate, 1.0 / (steps - 1));
      // The configured updater (Adam, ...) with its rate replaced by minRate * gamma^iteration;
      // DL4J evaluates the schedule at each iteration's count, starting at 0 for a fresh net.
      net.setLearningRate(new ExponentialSchedule(ScheduleType.ITERATION, minRate, gamma));
      List<Double> rates = new ArrayList<>();
      List<Double> losses = new ArrayList<>();
      SmoothedLoss reading = new SmoothedLoss();
      for (int i = 0; i < steps; i++) {
        NativeMemoryLimit.check();
        net.fit(batches.get(i % batches.size()));
        // score() after fit: the minibatch's loss in the forward pass, before this step's update.
        double loss = net.score();
        rates.add(minRate * Math.pow(gamma, i));
        losses.add(loss);
        reading.add(loss);
        if (reading.exploded()) {
          break; // the rest of the curve says nothing more (fastai stops here too)
        }
      }
      return List.of(new LrProbeOutcome(rates, losses)).iterator();
    }
  }

  /** {mean cross-entropy, accuracy} of {@code net} on {@code ds}, in training mode. */
  static double[] lossAndAccuracy(MultiLayerNetwork net, DataSet ds) {
    INDArray p = net.output(ds.getFeatures(), true);
    int[] labels = labels(ds);
    double loss = 0;
    int right = 0;
    for (int i = 0; i < labels.length; i++) {
      // DL4J's MCXENT clips probabilities at 1e-10 the same way (LossMCXENT, softmaxClipEps).
      loss -= Math.log(Math.max(p.getDouble(i, labels[i]), 1e-10));
      right += Nd4j.argMax(p.getRow(i)).getInt(0) == labels[i] ? 1 : 0;
    }
    return new double[] {loss / labels.length, (double) right / labels.length};
  }

  /**
   * The best accuracy any classifier reaches on {@code ds}: examples with identical features can
   * only all be right when they share a label, so each group contributes its majority label's count.
   */
  static double bestAccuracy(DataSet ds) {
    float[][] x = ds.getFeatures().toFloatMatrix();
    int[] labels = labels(ds);
    Map<List<Float>, Map<Integer, Integer>> groups = new HashMap<>();
    for (int i = 0; i < labels.length; i++) {
      List<Float> key = new ArrayList<>(x[i].length);
      for (float f : x[i]) {
        key.add(f);
      }
      groups.computeIfAbsent(key, k -> new HashMap<>()).merge(labels[i], 1, Integer::sum);
    }
    int best = 0;
    for (Map<Integer, Integer> g : groups.values()) {
      best += Collections.max(g.values());
    }
    return (double) best / labels.length;
  }

  static int[] labels(DataSet ds) {
    return ds.getLabels().argMax(1).toIntVector();
  }
}
