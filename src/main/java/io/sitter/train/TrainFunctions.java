package io.sitter.train;

import io.sitter.model.FloatArrays;
import io.sitter.model.NativeMemoryLimit;
import io.sitter.shard.MinibatchBuffer;
import io.sitter.shard.Minibatches;
import io.sitter.shard.ShardData;
import io.sitter.shard.TaskSeeds;
import io.sitter.stats.PooledMomentsAccumulator;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Executor-side functions of {@link TrainJob}. Each is a static class holding only a broadcast
 * handle and small values, so nothing of the driver is serialized with it.
 */
final class TrainFunctions {
  private TrainFunctions() {}

  /**
   * One partition's part of a round: rebuild (from the per-JVM cache) the broadcast network, fit
   * this round's minibatches of the shard, and return example-weighted sums. A pure function of
   * (broadcast, shard, seed, round): one native thread, ND4J's RNG seeded from (seed, round,
   * partition), the shard's shuffle from (seed, epoch, partition); so a re-run task (executor loss)
   * returns the same result.
   */
  static final class FitRound implements Function2<Integer, Iterator<ShardData>, Iterator<RoundAccumulator>> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<RoundState> state;

    FitRound(Broadcast<RoundState> state) {
      this.state = state;
    }

    @Override
    public Iterator<RoundAccumulator> call(Integer partition, Iterator<ShardData> shards) {
      return List.of(fitShard(state.value(), shards)).iterator();
    }

    /** The round's result of one partition: its shard's sums, and the time they took. */
    static RoundAccumulator fitShard(RoundState s, Iterator<ShardData> shards) {
      long started = System.nanoTime();
      RoundAccumulator acc = new RoundAccumulator();
      acc.tasks = 1;
      if (shards.hasNext()) {
        ShardData shard = shards.next();
        fit(s, shard, acc);
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      acc.computeMax = seconds;
      acc.computeSum = seconds;
      return acc;
    }

    private static void fit(RoundState s, ShardData shard, RoundAccumulator acc) {
      int total = Minibatches.batchCount(shard.size(), s.batchSize);
      int from = s.firstBatch;
      int to = Math.min(s.firstBatch + s.batches, total);
      if (from >= to) {
        return; // a shard one example short can have one minibatch fewer: nothing left this round
      }
      oneNativeThread();
      NetworkCache.Entry entry = NetworkCache.borrow(s.configurationJson);
      MultiLayerNetwork net = entry.net();
      NetworkLayout layout = entry.layout();
      load(net, s);
      // After borrow: building a network on a cache miss draws its initial weights from this RNG.
      Nd4j.getRandom().setSeed(TaskSeeds.mix(s.seed, 0xD809L, s.round, shard.partition()));
      AccuracyListener accuracy = new AccuracyListener(net, layout.monitored.get(layout.monitored.size() - 1).layerIndex());
      net.setListeners(accuracy);
      int[] perm = Minibatches.permutation(s.seed, s.epoch, shard.partition(), shard.size());
      int layers = layout.monitored.size();
      double[] ratioSum = new double[layers];
      long[] ratioCount = new long[layers];
      double[] weightNorm = new double[layers];
      MinibatchBuffer buffer = new MinibatchBuffer(shard, s.batchSize, s.numClasses);
      long examples = 0;
      double lossSum = 0;
      for (int b = from; b < to; b++) {
        NativeMemoryLimit.check();
        DataSet batch = buffer.batch(perm, b);
        boolean measureRatio = (b - from) % UPDATE_RATIO_EVERY == 0;
        for (int l = 0; measureRatio && l < layers; l++) {
          weightNorm[l] = net.getParam(layout.monitored.get(l).weightKey()).norm2Number().doubleValue();
        }
        accuracy.labels = Minibatches.labels(shard, perm, b, s.batchSize);
        net.fit(batch);
        int rows = batch.numExamples();
        examples += rows;
        lossSum += net.score() * rows;
        // The update/weight ratio ||W_after - W_before|| / ||W_before|| without copying W: DL4J's
        // updater turns the gradient view into the update in place, and StochasticGradientDescent
        // .optimize then applies it as params.subi(gradientView) (NegativeGradientStepFunction),
        // so after fit the gradient view holds exactly the step taken (up to float rounding of the
        // subtraction). Copying and subtracting every monitored W per minibatch cost two off-heap
        // allocations of W's size each.
        Gradient step = net.gradient();
        for (int l = 0; measureRatio && l < layers; l++) {
          double change = step.getGradientFor(layout.monitored.get(l).weightKey()).norm2Number().doubleValue();
          ratioSum[l] += change / weightNorm[l];
          ratioCount[l]++;
        }
      }
      float[] params = FloatArrays.read(net.params());
      INDArray stateView = net.getUpdater().getStateViewArray();
      float[] updater = stateView == null ? new float[0] : FloatArrays.read(stateView);
      acc.examples = examples;
      acc.lossSum = lossSum;
      acc.correct = accuracy.correct;
      acc.params = params;
      acc.state = updater;
      acc.ratioSum = ratioSum;
      acc.ratioCount = ratioCount;
      acc.batchNorms = new PooledMomentsAccumulator[layout.batchNorms.size()];
      for (int i = 0; i < acc.batchNorms.length; i++) {
        NetworkLayout.BatchNormStats bn = layout.batchNorms.get(i);
        float[] mean = Arrays.copyOfRange(params, bn.meanOffset(), bn.meanOffset() + bn.units());
        float[] var = Arrays.copyOfRange(params, bn.varOffset(), bn.varOffset() + bn.units());
        acc.batchNorms[i] = new PooledMomentsAccumulator().addGroup(examples, mean, var);
      }
      NetworkCache.release(s.configurationJson, entry);
    }

  }

  /**
   * The same as {@link FitRound}, as the function of a job of its own ({@code SparkContext.runJob}
   * on the shards): no RDD transformation and no Scala closure between the shards and the result.
   * Every {@code mapPartitionsWithIndex} + {@code treeReduce} round had Spark's ClosureCleaner
   * clean the Scala lambdas those two wrap around the functions, and for each lambda it reads and
   * parses the declaring class's bytecode from its jar (ClosureCleaner.getClassReader: RDD's and
   * JavaRDDLike's); in a JFR profile of K=1 training that was a quarter of the driver's samples,
   * about 4 ms of a 50 ms round. A Java object that is not a closure is passed through as is.
   */
  static final class FitRoundTask extends scala.runtime.AbstractFunction2<TaskContext, scala.collection.Iterator<ShardData>, RoundAccumulator>
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final Broadcast<RoundState> state;

    FitRoundTask(Broadcast<RoundState> state) {
      this.state = state;
    }

    @Override
    public RoundAccumulator apply(TaskContext context, scala.collection.Iterator<ShardData> shards) {
      return FitRound.fitShard(state.value(), scala.collection.JavaConverters.asJavaIterator(shards));
    }
  }

  /**
   * One native thread for this task's thread. Belt and braces next to OMP_NUM_THREADS=1: OpenBLAS
   * ignores ND4J's own thread setting (measured: OpenBLAS keeps its 2 threads after Nd4j.getEnvironment().setMaxThreads(1)), and one thread per task keeps
   * runs bit-for-bit reproducible. Once per thread: the JNI call showed up in a K=1 profile at
   * about 0.25 ms per task, and Spark reuses its task threads.
   */
  static void oneNativeThread() {
    if (!NATIVE_THREADS_SET.get()) {
      Nd4j.factory().blas().setMaxThreads(1);
      NATIVE_THREADS_SET.set(true);
    }
  }

  private static final ThreadLocal<Boolean> NATIVE_THREADS_SET = ThreadLocal.withInitial(() -> false);

  /**
   * The update/weight ratio is measured on every UPDATE_RATIO_EVERY-th minibatch of a round,
   * starting with its first (so a K=1 round measures its one minibatch). Two norms per monitored
   * layer per minibatch, each a JNI reduction over the layer's weights, were about 3% of a task's
   * time; the babysitter judges the ratio's order of magnitude (healthy 1e-4 to 1e-2), for which a
   * mean over a quarter of the round's minibatches is as good as over all of them.
   */
  static final int UPDATE_RATIO_EVERY = 4;

  /** Puts the broadcast state into a (cached) network. */
  static void load(MultiLayerNetwork net, RoundState s) {
    if (net.numParams() != s.params.length) {
      throw new IllegalStateException("network has " + net.numParams() + " parameters, broadcast " + s.params.length);
    }
    FloatArrays.write(s.params, net.params());
    INDArray stateView = net.getUpdater().getStateViewArray();
    if (stateView != null) {
      if (stateView.length() != s.updaterState.length) {
        throw new IllegalStateException("updater state has " + stateView.length() + " entries, broadcast " + s.updaterState.length);
      }
      FloatArrays.write(s.updaterState, stateView);
    }
    net.setIterationCount(s.iteration);
    net.setEpochCount(s.epochCount);
  }

  /**
   * Counts correct predictions of the forward pass DL4J does anyway during {@code fit}: it hands
   * listeners the activations up to the output layer's input (MultiLayerNetwork
   * computeGradientAndScore calls onForwardPass with layers 0..n-2), and the output layer's
   * argmax needs only input x W + b, with the parameters not yet updated. So the accuracy is that
   * of the same pass the loss comes from, at the cost of one small matrix product instead of a
   * second forward pass.
   *
   * <p>The product goes into a buffer kept across minibatches and the argmax is done in Java on
   * its rows x classes values: each ND4J op and each off-heap array costs a JNI call and JavaCPP's
   * physical-memory check on allocation (both visible in the round's profile), and argMax, eq, cast
   * and sum on a 128 x 10 matrix were five of each per minibatch for a few microseconds of work.
   */
  static final class AccuracyListener extends BaseTrainingListener {
    private final MultiLayerNetwork net;
    private final int outputLayer;
    private INDArray logits;
    /** The labels of the minibatch being fitted, in its row order. */
    int[] labels;
    long correct;

    AccuracyListener(MultiLayerNetwork net, int outputLayer) {
      this.net = net;
      this.outputLayer = outputLayer;
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
      try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
        INDArray in = activations.get(activations.size() - 1);
        INDArray w = net.getParam(outputLayer + "_W");
        if (logits == null || logits.rows() != in.rows()) {
          logits = Nd4j.create(in.dataType(), new long[] {in.rows(), w.columns()}, 'c');
        }
        in.mmul(w, logits).addiRowVector(net.getParam(outputLayer + "_b"));
        correct += countCorrect(FloatArrays.read(logits), (int) logits.columns(), labels);
      }
    }
  }

  /**
   * Rows of a row-major {@code rows x classes} score matrix whose largest score (the first, on
   * ties, as ND4J's argMax) is at the row's label.
   */
  static long countCorrect(float[] scores, int classes, int[] labels) {
    if (scores.length != labels.length * classes) {
      throw new IllegalArgumentException(scores.length + " scores for " + labels.length + " labels of " + classes + " classes");
    }
    long correct = 0;
    for (int r = 0; r < labels.length; r++) {
      int best = 0;
      int base = r * classes;
      for (int c = 1; c < classes; c++) {
        if (scores[base + c] > scores[base + best]) {
          best = c;
        }
      }
      if (best == labels[r]) {
        correct++;
      }
    }
    return correct;
  }

  /** Merges two partial sums (tree levels and driver). */
  static final class MergeRound implements Function2<RoundAccumulator, RoundAccumulator, RoundAccumulator> {
    private static final long serialVersionUID = 1L;

    @Override
    public RoundAccumulator call(RoundAccumulator a, RoundAccumulator b) {
      return a.merge(b);
    }
  }

  /**
   * Moments of one BatchNorm layer's input over a shard, in inference mode (running statistics in
   * the earlier BatchNorm layers, no dropout), in chunks so memory stays bounded.
   */
  static final class BatchNormInputMoments implements Function2<Integer, Iterator<ShardData>, Iterator<PooledMomentsAccumulator>> {
    private static final long serialVersionUID = 1L;
    private static final int CHUNK = 1024;
    private final Broadcast<RoundState> state;
    private final int layerIndex;

    BatchNormInputMoments(Broadcast<RoundState> state, int layerIndex) {
      this.state = state;
      this.layerIndex = layerIndex;
    }

    @Override
    public Iterator<PooledMomentsAccumulator> call(Integer partition, Iterator<ShardData> shards) {
      PooledMomentsAccumulator acc = new PooledMomentsAccumulator();
      if (!shards.hasNext()) {
        return List.of(acc).iterator();
      }
      ShardData shard = shards.next();
      oneNativeThread();
      RoundState s = state.value();
      NetworkCache.Entry entry = NetworkCache.borrow(s.configurationJson);
      load(entry.net(), s);
      for (int from = 0; from < shard.size(); from += CHUNK) {
        int to = Math.min(from + CHUNK, shard.size());
        NativeMemoryLimit.check();
        INDArray x = Minibatches.features(shard, from, to);
        // feedForwardToLayer(k, x, false) returns [x, out_0, ..., out_k]: the output of layer
        // layerIndex-1, i.e. this BatchNorm layer's input, is the last entry.
        List<INDArray> acts = entry.net().feedForwardToLayer(layerIndex - 1, x, false);
        INDArray in = acts.get(acts.size() - 1);
        acc.addRows(FloatArrays.read(in), to - from, (int) in.size(1));
      }
      NetworkCache.release(s.configurationJson, entry);
      return List.of(acc).iterator();
    }
  }

  static final class MergeMoments implements Function2<PooledMomentsAccumulator, PooledMomentsAccumulator, PooledMomentsAccumulator> {
    private static final long serialVersionUID = 1L;

    @Override
    public PooledMomentsAccumulator call(PooledMomentsAccumulator a, PooledMomentsAccumulator b) {
      return a.merge(b);
    }
  }

  /** The number of examples in each shard (also materializes and caches the shards). */
  static final class ShardSize implements Function<ShardData, Integer> {
    private static final long serialVersionUID = 1L;

    @Override
    public Integer call(ShardData shard) {
      return shard.size();
    }
  }
}
