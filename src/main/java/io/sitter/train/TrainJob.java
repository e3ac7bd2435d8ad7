package io.sitter.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitter.config.BadInputException;
import io.sitter.config.ConfigLoader;
import io.sitter.config.SitterConfig;
import io.sitter.config.TrainConfig;
import io.sitter.config.TrainingAbortedException;
import io.sitter.metrics.EvaluationResult;
import io.sitter.metrics.RoundMetrics;
import io.sitter.model.FloatArrays;
import io.sitter.model.NetworkFactory;
import io.sitter.model.NetworkPayload;
import io.sitter.serve.DistributedEvaluation;
import io.sitter.shard.Minibatches;
import io.sitter.shard.ShardData;
import io.sitter.shard.Shards;
import io.sitter.stats.PooledMomentsAccumulator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sitter.prep.FittedNormalizer;
import io.sitter.prep.PrepData;
import io.sitter.storage.MetricsWriter;
import io.sitter.storage.RunDirectory;
import io.sitter.storage.Storage;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.util.ModelSerializer;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Distributed training by synchronous parameter averaging (driver side).
 *
 * <p>Each round broadcasts the network (parameters, updater state, iteration count) as float
 * arrays; every partition fits K minibatches of its cached shard ({@link TrainFunctions.FitRound});
 * the results are summed, example-weighted, in double (on the driver in partition order up to 5
 * partitions, through a {@code treeReduce} above), and the driver divides: parameters and
 * updater state are averaged, BatchNorm running statistics pooled (mean = sum n_i m_i / N, var =
 * sum n_i (v_i + (m_i - mean)^2) / N), never averaged like weights. An epoch is
 * ceil(minibatches per shard / K) rounds, so every epoch starts a new shuffle on every partition
 * and epoch-aligned checkpoints resume exactly.
 */
public final class TrainJob {
  /** Measured here: about 17k samples/s on one core for the 271,370-parameter default net. */
  static final double SAMPLES_PER_SECOND_PER_CORE = 17_000;
  static final double REFERENCE_PARAMS = 271_370;

  /** The most partitions a round merges on the driver alone (Spark's treeReduce of depth 2 adds no level up to 5). */
  static final int DIRECT_MERGE_PARTITIONS = 5;

  private static final scala.reflect.ClassTag<RoundAccumulator> ROUND_RESULT =
      scala.reflect.ClassTag$.MODULE$.apply(RoundAccumulator.class);

  private static final ObjectMapper JSON = new ObjectMapper();

  private TrainJob() {}

  public static TrainResult run(SparkSession spark, TrainRequest request) {
    return run(spark, request, BatchNormMerge.POOLED);
  }

  /** As {@link #run(SparkSession, TrainRequest)} with another BatchNorm merge: for scripts/bench/batchnorm-merge only. */
  static TrainResult run(SparkSession spark, TrainRequest request, BatchNormMerge batchNormMerge) {
    return new Run(spark, request, batchNormMerge).execute();
  }

  /**
   * Makes {@code out} a fresh, empty run directory before something else writes into it first
   * ({@code train --input} runs prep into {@code RUN/prep}): an existing {@code out} is refused
   * unless {@code overwrite}, and even then only a sitter run directory is deleted.
   */
  public static void prepareRunDirectory(Storage storage, Path out, boolean overwrite) {
    RunDirectory.at(storage, out).prepareNew("--out", overwrite);
  }

  /**
   * K when {@code train.averagingFrequency} is 0: as many minibatches as one core fits in about
   * {@code targetRoundSeconds}, from the measured throughput of the default net scaled by
   * parameter count (cost per example is about proportional to it for dense nets), capped at the
   * minibatches of a shard per epoch. Fewer, longer rounds amortize the broadcast and merge (3.3 MB
   * per partition per round for the default net with Adam); more, shorter ones average more often,
   * which helps convergence. A round of a few seconds keeps the overhead a few percent.
   */
  static int autoAveragingFrequency(long numParams, int batchSize, double targetRoundSeconds, int batchesPerEpoch) {
    double samplesPerSecond = SAMPLES_PER_SECOND_PER_CORE * REFERENCE_PARAMS / Math.max(numParams, 1);
    double batchesPerSecond = samplesPerSecond / batchSize;
    int k = (int) Math.max(1, Math.round(targetRoundSeconds * batchesPerSecond));
    return Math.min(k, batchesPerEpoch);
  }

  /** One training run's driver state. */
  private static final class Run implements TrainingView {
    private final SparkSession spark;
    private final TrainRequest request;
    private final BatchNormMerge batchNormMerge;
    private final SitterConfig config;
    private final TrainConfig train;
    private final RunDirectory out;
    private PrepData prep;
    private FittedNormalizer prepFacts;
    private MultiLayerNetwork net;
    private NetworkLayout layout;
    private String configurationJson;
    private DataSet probe;
    private double initialLoss;
    private int round;
    private int epoch;
    private int iteration;
    private long examplesSeen;
    private int roundsPerEpoch;
    private int k;
    /** The outer step on the averaged parameters; null for plain averaging (train.blockMomentum 0, blockLearningRate 1). */
    private BlockMomentum blockMomentum;

    Run(SparkSession spark, TrainRequest request, BatchNormMerge batchNormMerge) {
      this.spark = spark;
      this.request = request;
      this.batchNormMerge = batchNormMerge;
      this.config = request.config();
      this.train = config.train();
      this.out = RunDirectory.at(Storage.of(spark.sparkContext().hadoopConfiguration()), request.out());
    }

    TrainResult execute() {
      long started = System.nanoTime();
      prep = PrepData.open(spark, request.data(), "--data");
      prepFacts = prep.normalizer();
      if (request.mode() != TrainRequest.OutputMode.RESUME && !prepInsideRun()) {
        out.checkNew("--out", request.mode() == TrainRequest.OutputMode.OVERWRITE);
      }
      Dataset<Row> trainRows = prep.split("train");
      String source = prep.directory().split("train").toString();
      JavaRDD<ShardData> shards = Shards.build(trainRows, request.partitions(), prepFacts.numFeatures(), prepFacts.numClasses(), source);
      Optional<Dataset<Row>> val = prep.optional("val").map(Dataset::cache);
      MetricsWriter metrics = null;
      try {
        // Materializes (and checks) the shards before anything is written: bad rows leave no run directory.
        List<Integer> sizes = shards.map(new TrainFunctions.ShardSize()).collect();
        Optional<Checkpoints.Restored> restored = prepareRunDirectory();
        int largest = sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
        int batchesPerEpoch = Minibatches.batchCount(largest, train.minibatchSize());
        probe = Shards.probeBatch(trainRows, config.babysit().probeBatchSize(), prepFacts.numFeatures(), prepFacts.numClasses(), source);
        int startEpoch = 1;
        if (restored.isPresent()) {
          Checkpoints.State s = restored.get().state();
          if (s.partitions() != request.partitions()) {
            throw new BadInputException("--resume " + out.path() + ": the run was trained with " + s.partitions()
                + " partitions, not " + request.partitions() + " (resume needs the same --partitions)");
          }
          net = restored.get().network();
          k = s.averagingFrequency();
          round = s.round();
          iteration = s.iteration();
          examplesSeen = s.examplesSeen();
          initialLoss = s.initialLoss();
          epoch = s.epoch();
          startEpoch = s.epoch() + 1;
        } else {
          net = NetworkFactory.build(config.model(), train, prepFacts.numFeatures(), prepFacts.numClasses(), train.seed());
          initialLoss = trainingModeLoss(net, probe);
          k = train.averagingFrequency() > 0
              ? Math.min(train.averagingFrequency(), batchesPerEpoch)
              : autoAveragingFrequency(net.numParams(), train.minibatchSize(), train.targetRoundSeconds(), batchesPerEpoch);
        }
        net.setIterationCount(iteration);
        layout = NetworkLayout.of(net);
        configurationJson = canonicalJson(net);
        roundsPerEpoch = (batchesPerEpoch + k - 1) / k;
        if (!BlockMomentum.isIdentity(train.blockMomentum(), train.blockLearningRate())) {
          blockMomentum = new BlockMomentum(train.blockMomentum(), train.blockLearningRate(), train.blockNesterov(),
              layout.batchNormStatistics());
        }
        metrics = restored.isPresent() ? out.resumeMetrics(round) : out.createMetrics();
        for (RoundListener l : request.listeners()) {
          l.beforeTraining(this);
        }
        ProgressLine progress = new ProgressLine(request.progress(), train.epochs(), roundsPerEpoch, round);
        RoundMetrics last = null;
        for (int e = startEpoch; e <= train.epochs(); e++) {
          for (int r = 0; r < roundsPerEpoch; r++) {
            last = round(shards, e, r, batchesPerEpoch, val, metrics);
            progress.print(last);
          }
          if (train.checkpointEveryEpochs() > 0 && e % train.checkpointEveryEpochs() == 0 || e == train.epochs()) {
            Checkpoints.write(out, new Checkpoints.State(e, round, iteration, examplesSeen, initialLoss,
                request.partitions(), k, train.seed()), net);
          }
        }
        Double valBefore = last == null ? null : last.valAccuracy();
        Double valLoss = last == null ? null : last.valLoss();
        if (last == null) { // resumed from the final checkpoint: no round ran, measure what it holds
          Optional<double[]> v = validate(val);
          valBefore = v.map(a -> a[1]).orElse(null);
          valLoss = v.map(a -> a[0]).orElse(null);
        }
        Double valAccuracy = valBefore;
        boolean reestimated = false;
        if (train.reestimateBatchNorm() && !layout.batchNorms.isEmpty()) {
          reestimateBatchNorm(shards);
          reestimated = true;
          Optional<double[]> after = validate(val);
          valLoss = after.map(a -> a[0]).orElse(null);
          valAccuracy = after.map(a -> a[1]).orElse(null);
        }
        for (RoundListener l : request.listeners()) {
          l.afterTraining(this);
        }
        metrics.close(); // compacted metrics.jsonl and metrics.csv before the files that mark a finished run
        out.writeModel(zip -> ModelSerializer.writeModel(net, zip, true));
        Double testAccuracy = evaluateTest();
        double seconds = (System.nanoTime() - started) / 1e9;
        writeSummary(reestimated, valBefore, valAccuracy, valLoss, testAccuracy, seconds, last);
        return new TrainResult(out.path(), net, train.epochs(), round, k, examplesSeen,
            last == null ? Double.NaN : last.trainLoss(), valLoss, valAccuracy, reestimated ? valBefore : null,
            testAccuracy, seconds);
      } finally {
        if (metrics != null) {
          try {
            metrics.close(); // an abort or failure compacts its rounds into metrics.jsonl too (a no-op after success)
          } catch (RuntimeException e) {
            // The failure in flight is the one to report; the rounds stay readable in their segments.
          }
        }
        shards.unpersist(false);
        val.ifPresent(Dataset::unpersist);
      }
    }

    /** One round: broadcast, fit K minibatches per partition, merge, metrics, listeners. */
    private RoundMetrics round(JavaRDD<ShardData> shards, int e, int r, int batchesPerEpoch,
        Optional<Dataset<Row>> val, MetricsWriter metrics) {
      long t0 = System.nanoTime();
      round++;
      epoch = e;
      int firstBatch = r * k;
      double lr = NetworkFactory.learningRate(train, iteration);
      RoundState state = new RoundState(configurationJson, FloatArrays.read(net.params()), updaterState(net),
          iteration, e - 1, round, e, firstBatch, k, train.minibatchSize(), prepFacts.numClasses(), train.seed());
      Broadcast<RoundState> bc = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(state);
      long t1 = System.nanoTime();
      RoundAccumulator acc;
      try {
        acc = fitAndMerge(shards, bc);
      } finally {
        bc.destroy();
      }
      long t2 = System.nanoTime();
      if (acc.examples == 0) {
        throw new IllegalStateException("round " + round + " fitted no examples");
      }
      merge(acc, state.params, r == roundsPerEpoch - 1);
      iteration += Math.min(k, batchesPerEpoch - firstBatch);
      net.setIterationCount(iteration);
      net.setEpochCount(e - 1);
      examplesSeen += acc.examples;
      long t3 = System.nanoTime();
      double broadcast = (t1 - t0) / 1e9;
      double job = (t2 - t1) / 1e9;
      RoundMetrics.Builder m = new RoundMetrics.Builder()
          .round(round).epoch(e).iteration(iteration).examplesSeen(examplesSeen)
          .trainLoss(acc.lossSum / acc.examples).trainAccuracy((double) acc.correct / acc.examples).lr(lr)
          .broadcastSeconds(broadcast).computeSecondsMax(acc.computeMax).computeSecondsMean(acc.computeSum / acc.tasks)
          .aggregateSeconds(Math.max(0, job - acc.computeMax) + (t3 - t2) / 1e9);
      for (int l = 0; l < layout.monitored.size(); l++) {
        m.layer(layout.monitored.get(l).name())
            .updateRatio(acc.ratioCount[l] == 0 ? null : acc.ratioSum[l] / acc.ratioCount[l]);
      }
      boolean finite = Double.isFinite(m.trainLoss());
      if (finite && r == roundsPerEpoch - 1) {
        evaluate(val).ifPresent(v -> m.valLoss(v.loss()).valAccuracy(v.accuracy()).valPerClass(v.perClass()));
      }
      // Training throughput leaves the epoch-end validation out; round_seconds includes it.
      m.roundSeconds((System.nanoTime() - t0) / 1e9).samplesPerSecond(acc.examples / ((t3 - t0) / 1e9));
      // Listeners see a non-finite round too, so the babysitter records its verdict (round, the
      // largest update ratio and its layer, a lower rate) before training stops.
      try {
        for (RoundListener l : request.listeners()) {
          l.afterRound(this, m);
        }
      } catch (TrainingAbortedException abort) {
        metrics.append(m.build());
        throw abort;
      }
      if (!finite) {
        metrics.append(m.build());
        throw new TrainingAbortedException(String.format(Locale.ROOT,
            "training loss is %s in round %d (epoch %d); the last good checkpoint is kept", m.trainLoss(), round, e));
      }
      RoundMetrics built = m.build();
      metrics.append(built);
      return built;
    }

    /**
     * Runs the round's job and sums the partitions' results. Up to {@link #DIRECT_MERGE_PARTITIONS}
     * partitions, Spark's {@code treeReduce} (depth 2) adds no tree level: every task's result goes
     * to the driver either way. There the round is one job straight on the shards, its results
     * merged in partition order (so the double sums do not depend on which task finished first),
     * without the RDD and Scala closures {@code treeReduce} builds and cleans every round (see
     * {@link TrainFunctions.FitRoundTask}). Above that, {@code treeReduce} merges partials on the
     * executors first, so the driver receives sqrt(P) of them instead of P.
     */
    private RoundAccumulator fitAndMerge(JavaRDD<ShardData> shards, Broadcast<RoundState> bc) {
      if (shards.getNumPartitions() > DIRECT_MERGE_PARTITIONS) {
        return shards.mapPartitionsWithIndex(new TrainFunctions.FitRound(bc), true).treeReduce(new TrainFunctions.MergeRound());
      }
      Object results = spark.sparkContext().runJob(shards.rdd(), new TrainFunctions.FitRoundTask(bc), ROUND_RESULT);
      return RoundAccumulator.ofTasks((RoundAccumulator[]) results);
    }

    /**
     * Divides the sums: weighted means of parameters and updater state, pooled BatchNorm statistics;
     * then the outer (block momentum) step, if configured, from {@code start}, the parameters the
     * round was broadcast with.
     */
    private void merge(RoundAccumulator acc, float[] start, boolean epochEnd) {
      float[] params = acc.paramMeans();
      if (blockMomentum != null) {
        blockMomentum.step(start, params, epochEnd);
      }
      for (int b = 0; b < layout.batchNorms.size(); b++) {
        NetworkLayout.BatchNormStats bn = layout.batchNorms.get(b);
        double[] mean = batchNormMerge.mean(acc.batchNorms[b]);
        double[] var = batchNormMerge.variance(acc.batchNorms[b]);
        for (int j = 0; j < bn.units(); j++) {
          params[bn.meanOffset() + j] = (float) mean[j];
          params[bn.varOffset() + j] = (float) var[j];
        }
      }
      FloatArrays.write(params, net.params());
      INDArray view = net.getUpdater().getStateViewArray();
      if (view != null) {
        // Off: every round starts from a fresh (zero) updater state, DL4J's own trainer's default.
        float[] state = train.averageUpdaterState() ? acc.stateMeans() : new float[(int) view.length()];
        FloatArrays.write(state, view);
      }
    }

    /**
     * Replaces each BatchNorm layer's running statistics by the exact population mean and variance
     * of its input over the whole training split, in inference mode, layer by layer (a later
     * layer's input depends on the earlier layers' statistics).
     */
    private void reestimateBatchNorm(JavaRDD<ShardData> shards) {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      for (NetworkLayout.BatchNormStats bn : layout.batchNorms) {
        RoundState state = new RoundState(configurationJson, FloatArrays.read(net.params()), updaterState(net),
            iteration, epoch, round, epoch, 0, 0, train.minibatchSize(), prepFacts.numClasses(), train.seed());
        Broadcast<RoundState> bc = jsc.broadcast(state);
        PooledMomentsAccumulator moments;
        try {
          moments = shards.mapPartitionsWithIndex(new TrainFunctions.BatchNormInputMoments(bc, bn.layerIndex()), true)
              .treeReduce(new TrainFunctions.MergeMoments());
        } finally {
          bc.destroy();
        }
        double[] mean = moments.mean();
        double[] var = moments.variance();
        float[] m = new float[bn.units()];
        float[] v = new float[bn.units()];
        for (int j = 0; j < m.length; j++) {
          m[j] = (float) mean[j];
          v[j] = (float) var[j];
        }
        net.setParam(bn.layerIndex() + "_mean", Nd4j.createFromArray(m).reshape(net.getParam(bn.layerIndex() + "_mean").shape()));
        net.setParam(bn.layerIndex() + "_var", Nd4j.createFromArray(v).reshape(net.getParam(bn.layerIndex() + "_var").shape()));
      }
    }

    /** {loss, accuracy} on the validation split (a distributed evaluation), when there is one. */
    private Optional<double[]> validate(Optional<Dataset<Row>> val) {
      return evaluate(val).map(r -> new double[] {r.loss(), r.accuracy()});
    }

    /** The evaluation of the validation split, when there is one. */
    private Optional<EvaluationResult> evaluate(Optional<Dataset<Row>> val) {
      return val.map(rows -> DistributedEvaluation.evaluate(spark, NetworkPayload.of(net), rows, prepFacts.numClasses(),
          prepFacts.classes()));
    }

    /** Evaluates the final model on the test split into RUN/evaluation.json; its accuracy, or null without one. */
    private Double evaluateTest() {
      Optional<Dataset<Row>> test = prep.optional("test");
      if (test.isEmpty()) {
        return null;
      }
      EvaluationResult r = DistributedEvaluation.evaluate(spark, NetworkPayload.of(net), test.get(), prepFacts.numClasses(), prepFacts.classes());
      out.writeEvaluation(r);
      return r.accuracy();
    }

    private Optional<Checkpoints.Restored> prepareRunDirectory() {
      if (request.mode() == TrainRequest.OutputMode.RESUME) {
        Path saved = out.file(RunDirectory.CONFIG);
        JsonNode savedConfig = out.config().orElseThrow(() -> new BadInputException(
            "--resume " + out.path() + ": not a sitter run directory (no " + RunDirectory.CONFIG + ")")).path("config");
        // Compared as records: JSON read back types numbers by their text (a long seed comes back an int node).
        List<String> differing = ConfigLoader.differences(ConfigLoader.bindSaved(savedConfig), config);
        if (!differing.isEmpty()) {
          throw new BadInputException("--resume " + out.path() + ": the configuration differs from the run's " + saved + " in "
              + String.join(", ", differing) + " (resume continues with the same configuration)");
        }
        return Checkpoints.latest(out);
      }
      if (prepInsideRun()) {
        out.requireOnlyPrep("--out"); // train --input ran prep into RUN/prep just before
      } else {
        out.prepareNew("--out", request.mode() == TrainRequest.OutputMode.OVERWRITE);
      }
      writeConfig();
      out.writePreprocessing(prep.directory().preprocessing("--data"));
      return Optional.empty();
    }

    /** Whether the prep output is {@code RUN/prep}, written by {@code train --input} just before. */
    private boolean prepInsideRun() {
      return prep.path().equals(out.file(RunDirectory.PREP));
    }

    private void writeConfig() {
      ObjectNode root = JSON.createObjectNode();
      root.put("schemaVersion", 1);
      root.set("config", ConfigLoader.toTree(config));
      ObjectNode p = root.putObject("provenance");
      for (Map.Entry<String, String> e : new TreeMap<>(request.provenance()).entrySet()) {
        p.put(e.getKey(), e.getValue());
      }
      p.put("spark", spark.version());
      p.put("java", System.getProperty("java.version"));
      p.put("master", spark.sparkContext().master());
      p.put("partitions", request.partitions());
      p.put("seed", train.seed());
      p.put("input", prepFacts.input());
      p.put("data", prep.path().toString());
      p.put("startedAt", Instant.now().toString());
      out.writeConfig(root);
    }

    private void writeSummary(boolean reestimated, Double valBefore, Double valAfter, Double valLoss, Double test,
        double seconds, RoundMetrics last) {
      ObjectNode s = JSON.createObjectNode();
      s.put("schemaVersion", 1);
      s.put("epochs", train.epochs());
      s.put("rounds", round);
      s.put("roundsPerEpoch", roundsPerEpoch);
      s.put("averagingFrequency", k);
      s.put("partitions", request.partitions());
      s.put("iteration", iteration);
      s.put("examplesSeen", examplesSeen);
      s.put("trainLoss", last == null ? null : last.trainLoss());
      s.put("trainAccuracy", last == null ? null : last.trainAccuracy());
      s.put("batchNormReestimated", reestimated);
      s.put("valAccuracyBeforeReestimate", reestimated ? valBefore : null);
      s.put("valAccuracy", valAfter);
      s.put("valLoss", valLoss);
      s.put("testAccuracy", test);
      s.put("seconds", seconds);
      out.writeTraining(s);
    }

    // ---- TrainingView ----

    @Override
    public MultiLayerNetwork network() {
      return net;
    }

    @Override
    public int round() {
      return round;
    }

    @Override
    public int epoch() {
      return epoch;
    }

    @Override
    public long iteration() {
      return iteration;
    }

    @Override
    public int roundsPerEpoch() {
      return roundsPerEpoch;
    }

    @Override
    public int totalRounds() {
      return roundsPerEpoch * train.epochs();
    }

    @Override
    public double initialLoss() {
      return initialLoss;
    }

    @Override
    public INDArray probeFeatures() {
      return probe.getFeatures();
    }

    @Override
    public INDArray probeLabels() {
      return probe.getLabels();
    }

    @Override
    public SitterConfig config() {
      return config;
    }

    @Override
    public int numFeatures() {
      return prepFacts.numFeatures();
    }

    @Override
    public int numClasses() {
      return prepFacts.numClasses();
    }

    @Override
    public List<String> layerNames() {
      return layout.names();
    }

    @Override
    public RunDirectory runDir() {
      return out;
    }
  }

  static float[] updaterState(MultiLayerNetwork net) {
    INDArray view = net.getUpdater().getStateViewArray();
    return view == null ? new float[0] : FloatArrays.read(view);
  }

  /**
   * The configuration JSON executors rebuild from, with the iteration and epoch counters zeroed:
   * they are part of DL4J's JSON, and a key that changed every round would defeat the per-JVM
   * network cache (the counters are set from the broadcast instead).
   */
  static String canonicalJson(MultiLayerNetwork net) {
    MultiLayerConfiguration c = net.getLayerWiseConfigurations().clone();
    c.setIterationCount(0);
    c.setEpochCount(0);
    return c.toJson();
  }

  /**
   * The loss the untrained network has on the probe batch with batch statistics, as the first
   * minibatch sees it. Parameters are restored afterwards in case scoring in training mode moves
   * BatchNorm's running statistics.
   */
  static double trainingModeLoss(MultiLayerNetwork net, DataSet probe) {
    INDArray saved = net.params().dup();
    double loss = net.score(probe, true);
    net.setParams(saved);
    return loss;
  }
}
