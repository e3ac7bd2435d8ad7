package io.sitter.train;

import io.sitter.TestFiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sitter.GeneratedPrepData;
import io.sitter.GeneratedPrepData.Examples;
import io.sitter.TestSpark;
import io.sitter.config.BadInputException;
import io.sitter.config.ConfigLoader;
import io.sitter.config.SitterConfig;
import io.sitter.config.TrainingAbortedException;
import io.sitter.metrics.RoundMetrics;
import io.sitter.model.NetworkFactory;
import io.sitter.shard.Minibatches;
import io.sitter.shard.ShardData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class TrainJobTest {
  private static final SparkSession SPARK = TestSpark.session();

  static TrainResult train(Path data, Path out, int partitions, TrainRequest.OutputMode mode, List<RoundListener> listeners,
      String... sets) {
    SitterConfig c = ConfigLoader.defaults(List.of(sets));
    return TrainJob.run(SPARK, new TrainRequest(TestFiles.hadoop(data), TestFiles.hadoop(out), c, partitions, mode, listeners, Map.of("sitter", "test"),
        new PrintWriter(new StringWriter())));
  }

  static TrainResult train(Path data, Path out, int partitions, String... sets) {
    return train(data, out, partitions, TrainRequest.OutputMode.NEW, List.of(), sets);
  }

  /** Shard p as the spec defines it, computed here directly: rank in index order mod P. */
  static ShardData shard(Examples train, int p, int partitions) {
    List<Integer> members = new ArrayList<>();
    for (int i = p; i < train.size(); i += partitions) {
      members.add(i); // the fixture numbers train rows 0..n-1 in order
    }
    int d = train.numFeatures();
    long[] idx = new long[members.size()];
    float[] x = new float[members.size() * d];
    int[] y = new int[members.size()];
    for (int k = 0; k < members.size(); k++) {
      int i = members.get(k);
      idx[k] = i;
      System.arraycopy(train.features()[i], 0, x, k * d, d);
      y[k] = train.labels()[i];
    }
    return ShardData.of(p, d, idx, x, y);
  }

  static float[] params(MultiLayerNetwork net) {
    return net.params().dup().data().asFloat();
  }

  /**
   * With a warm-up of 10 iterations the ramp spans rounds and epochs (rounds start at iterations 0,
   * 5, 7 and 12): the single fit's network counts its iterations through, so the trainer matches it
   * only if every round continues the count.
   */
  @ParameterizedTest
  @ValueSource(ints = {0, 10})
  void onePartitionEqualsASingleJvmFitOverTheSameMinibatches(int warmupIterations, @TempDir Path tmp) throws Exception {
    Examples all = GeneratedPrepData.blobs(100, 4, 3, 1);
    Path data = GeneratedPrepData.write(SPARK, tmp.resolve("data"), all, null, null);
    String[] sets = {"model.hiddenLayers=[8, 6]", "train.minibatchSize=16", "train.averagingFrequency=5",
        "train.epochs=2", "train.reestimateBatchNorm=false", "train.seed=5", "train.warmupIterations=" + warmupIterations};
    TrainResult result = train(data, tmp.resolve("run"), 1, sets);

    SitterConfig c = ConfigLoader.defaults(List.of(sets));
    MultiLayerNetwork local = NetworkFactory.build(c.model(), c.train(), 4, 3, 5);
    ShardData s = shard(all, 0, 1);
    int batches = Minibatches.batchCount(s.size(), 16);
    NetworkLayout layout = NetworkLayout.of(local);
    int layers = layout.monitored.size();
    // Update/weight ratios replayed the plain way (copy W, fit, ||W_after - W_before|| / ||W_before||),
    // averaged per round of K=5 minibatches (5, 2 per epoch) over the minibatches the trainer samples
    // (every UPDATE_RATIO_EVERY-th of a round from its first: the 1st and 5th of a full round), and
    // the training accuracy of each round's forward passes: [ratio sums..., ratio samples, correct, examples].
    List<double[]> ratios = new ArrayList<>();
    for (int e = 1; e <= 2; e++) {
      int[] perm = Minibatches.permutation(5, e, 0, s.size());
      for (int b = 0; b < batches; b++) {
        if (b % 5 == 0) {
          ratios.add(new double[layers + 3]);
        }
        boolean sampled = (b % 5) % TrainFunctions.UPDATE_RATIO_EVERY == 0;
        double[] round = ratios.get(ratios.size() - 1);
        INDArray[] before = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
          before[l] = local.getParam(layout.monitored.get(l).weightKey()).dup();
        }
        DataSet batch = Minibatches.batch(s, perm, b, 16, 3);
        // The training-mode forward pass the minibatch's fit sees (batch statistics), on a copy.
        INDArray predicted = local.clone().output(batch.getFeatures(), true).argMax(1);
        INDArray actual = batch.getLabels().argMax(1);
        for (int r = 0; r < batch.numExamples(); r++) {
          round[layers + 1] += predicted.getInt(r) == actual.getInt(r) ? 1 : 0;
        }
        round[layers + 2] += batch.numExamples();
        local.fit(batch);
        for (int l = 0; sampled && l < layers; l++) {
          INDArray after = local.getParam(layout.monitored.get(l).weightKey());
          round[l] += after.sub(before[l]).norm2Number().doubleValue() / before[l].norm2Number().doubleValue();
        }
        round[layers] += sampled ? 1 : 0;
      }
    }
    List<String> metrics = Files.readAllLines(tmp.resolve("run/metrics.jsonl"));
    assertEquals(ratios.size(), metrics.size());
    for (int r = 0; r < ratios.size(); r++) {
      JsonNode roundMetrics = new ObjectMapper().readTree(metrics.get(r));
      assertEquals(ratios.get(r)[layers + 1] / ratios.get(r)[layers + 2], roundMetrics.get("train_accuracy").asDouble(), 1e-12,
          "round " + (r + 1) + " training accuracy");
      // The rate at the round's first iteration, by hand: 0.001 x (i + 1) / 10 while i < 9.
      double[] rampShare = warmupIterations == 0 ? new double[] {1, 1, 1, 1} : new double[] {0.1, 0.6, 0.8, 1};
      assertEquals(0.001 * rampShare[r], roundMetrics.get("lr").asDouble(), 1e-12, "round " + (r + 1) + " learning rate");
      JsonNode layerMetrics = roundMetrics.get("layers");
      for (int l = 0; l < layers; l++) {
        double expected = ratios.get(r)[l] / ratios.get(r)[layers];
        double actual = layerMetrics.get(l).get("update_ratio").asDouble();
        assertEquals(expected, actual, 1e-4 * expected, "round " + (r + 1) + " layer " + layout.monitored.get(l).name());
      }
    }
    assertEquals(5, result.averagingFrequency());
    assertEquals(2 * 2, result.rounds(), "7 minibatches per epoch, K=5: 2 rounds per epoch");
    assertTrue(5 > TrainFunctions.UPDATE_RATIO_EVERY, "a full round samples more than one minibatch");
    assertArrayEquals(params(local), params(result.model()), 1e-6f);
    MultiLayerNetwork saved = ModelSerializer.restoreMultiLayerNetwork(tmp.resolve("run/model.zip").toFile(), true);
    assertArrayEquals(params(result.model()), params(saved), 0f);
    assertArrayEquals(local.getUpdater().getStateViewArray().data().asFloat(),
        saved.getUpdater().getStateViewArray().data().asFloat(), 1e-6f);
  }

  /**
   * P equal shards, plain SGD, no BatchNorm, averaged after every minibatch: the average of P
   * steps from the same parameters is one step on the union of the P minibatches. 4 partitions
   * are merged on the driver in one job; 6 go through treeReduce's extra level on the executors.
   */
  @ParameterizedTest
  @ValueSource(ints = {4, 6})
  void equalShardsWithSgdAveragedEveryStepEqualASingleFitOnTheUnionBatches(int partitions, @TempDir Path tmp) throws Exception {
    assertTrue(4 <= TrainJob.DIRECT_MERGE_PARTITIONS && 6 > TrainJob.DIRECT_MERGE_PARTITIONS, "both merge paths are covered");
    int b = 8;
    Examples all = GeneratedPrepData.blobs(partitions * b * 3, 5, 3, 2);
    Path data = GeneratedPrepData.write(SPARK, tmp.resolve("data"), all, null, null);
    String[] sets = {"model.hiddenLayers=[7]", "model.batchNorm=false", "train.updater=sgd", "train.learningRate=0.1",
        "train.minibatchSize=" + b, "train.averagingFrequency=1", "train.epochs=2", "train.seed=9"};
    TrainResult result = train(data, tmp.resolve("run"), partitions, sets);

    SitterConfig c = ConfigLoader.defaults(List.of(sets));
    MultiLayerNetwork local = NetworkFactory.build(c.model(), c.train(), 5, 3, 9);
    ShardData[] shards = new ShardData[partitions];
    for (int p = 0; p < partitions; p++) {
      shards[p] = shard(all, p, partitions);
    }
    for (int e = 1; e <= 2; e++) {
      int[][] perms = new int[partitions][];
      for (int p = 0; p < partitions; p++) {
        perms[p] = Minibatches.permutation(9, e, p, shards[p].size());
      }
      for (int t = 0; t < 3; t++) {
        List<DataSet> parts = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
          parts.add(Minibatches.batch(shards[p], perms[p], t, b, 3));
        }
        local.fit(DataSet.merge(parts));
      }
    }
    assertEquals(6, result.rounds());
    assertArrayEquals(params(local), params(result.model()), 1e-5f);
  }

  @Test
  void aRoundAveragesUpdaterStateAndParametersByExamplesAndPoolsBatchNormStatistics(@TempDir Path tmp) throws Exception {
    Examples all = GeneratedPrepData.blobs(9, 3, 2, 4); // shards of 5 and 4 examples
    Path data = GeneratedPrepData.write(SPARK, tmp.resolve("data"), all, null, null);
    String[] sets = {"model.hiddenLayers=[6]", "train.minibatchSize=8", "train.averagingFrequency=1", "train.epochs=1",
        "train.reestimateBatchNorm=false", "train.learningRate=0.05", "train.seed=3"};
    TrainResult result = train(data, tmp.resolve("run"), 2, sets);

    SitterConfig c = ConfigLoader.defaults(List.of(sets));
    float[][] p = new float[2][];
    float[][] st = new float[2][];
    int[] n = new int[2];
    for (int part = 0; part < 2; part++) {
      MultiLayerNetwork net = NetworkFactory.build(c.model(), c.train(), 3, 2, 3);
      ShardData s = shard(all, part, 2);
      n[part] = s.size();
      net.fit(Minibatches.batch(s, Minibatches.permutation(3, 1, part, s.size()), 0, 8, 2));
      p[part] = params(net);
      st[part] = net.getUpdater().getStateViewArray().dup().data().asFloat();
    }
    assertEquals(5, n[0]);
    assertEquals(4, n[1]);
    float[] state = result.model().getUpdater().getStateViewArray().dup().data().asFloat();
    assertEquals(st[0].length, state.length);
    for (int i = 0; i < state.length; i++) {
      assertEquals((5.0 * st[0][i] + 4.0 * st[1][i]) / 9, state[i], 1e-6, "updater state entry " + i);
    }
    MultiLayerNetwork merged = result.model();
    MultiLayerNetwork ref = NetworkFactory.build(c.model(), c.train(), 3, 2, 3);
    for (String key : ref.paramTable().keySet()) {
      float[] got = merged.getParam(key).dup().data().asFloat();
      float[] a = slice(ref, p[0], key);
      float[] b = slice(ref, p[1], key);
      for (int j = 0; j < got.length; j++) {
        double expected;
        if (key.endsWith("_mean")) {
          expected = (5.0 * a[j] + 4.0 * b[j]) / 9;
        } else if (key.endsWith("_var")) {
          float[] ma = slice(ref, p[0], key.replace("_var", "_mean"));
          float[] mb = slice(ref, p[1], key.replace("_var", "_mean"));
          double m = (5.0 * ma[j] + 4.0 * mb[j]) / 9;
          expected = (5.0 * (a[j] + (ma[j] - m) * (ma[j] - m)) + 4.0 * (b[j] + (mb[j] - m) * (mb[j] - m))) / 9;
        } else {
          expected = (5.0 * a[j] + 4.0 * b[j]) / 9;
        }
        assertEquals(expected, got[j], 1e-6, key + "[" + j + "]");
      }
    }
  }

  /** The values of parameter {@code key} inside a flat vector laid out like {@code like}'s. */
  private static float[] slice(MultiLayerNetwork like, float[] flat, String key) {
    MultiLayerNetwork copy = like.clone();
    copy.setParams(Nd4j.createFromArray(flat).reshape(1, flat.length));
    return copy.getParam(key).dup().data().asFloat();
  }

  @Test
  void theBlockStepMovesTheModelByTheBlockLearningRateTimesTheAveragedDisplacement(@TempDir Path tmp) throws Exception {
    Examples all = GeneratedPrepData.blobs(120, 4, 3, 12);
    Path data = GeneratedPrepData.write(SPARK, tmp.resolve("data"), all, null, null);
    // One round per epoch (K above the minibatches of a shard), so both runs fit the same round from the same start.
    String[] plain = {"model.hiddenLayers=[8, 6]", "train.minibatchSize=16", "train.averagingFrequency=100",
        "train.epochs=1", "train.seed=5", "train.reestimateBatchNorm=false"};
    List<float[]> start = new ArrayList<>();
    RoundListener initial = new RoundListener() {
      @Override
      public void beforeTraining(TrainingView view) {
        start.add(params(view.network()));
      }

      @Override
      public void afterRound(TrainingView view, RoundMetrics.Builder metrics) {}
    };
    TrainResult a = train(data, tmp.resolve("a"), 2, TrainRequest.OutputMode.NEW, List.of(initial), plain);
    String[] scaled = java.util.Arrays.copyOf(plain, plain.length + 2);
    scaled[plain.length] = "train.blockLearningRate=2.5";
    scaled[plain.length + 1] = "train.blockMomentum=0.5"; // the velocity of the first round is its step: no effect yet
    TrainResult b = train(data, tmp.resolve("b"), 2, scaled);
    float[] g = start.get(0);
    float[] averaged = params(a.model());
    float[] stepped = params(b.model());
    boolean[] statistics = NetworkLayout.of(a.model()).batchNormStatistics();
    int checked = 0;
    for (int i = 0; i < g.length; i++) {
      // BatchNorm running statistics are pooled, not stepped: equal in both runs.
      float expected = statistics[i] ? averaged[i] : (float) (g[i] + 2.5 * ((double) averaged[i] - g[i]));
      assertEquals(expected, stepped[i], 1e-6 * Math.max(1, Math.abs(expected)), "parameter " + i);
      checked += statistics[i] ? 0 : 1;
    }
    assertTrue(checked > 0 && checked < g.length);
  }

  @Test
  void sameSeedAndPartitionsGiveIdenticalModelsAndResumeEqualsAnUninterruptedRun(@TempDir Path tmp) throws Exception {
    Examples all = GeneratedPrepData.blobs(120, 4, 3, 6);
    Path data = GeneratedPrepData.write(SPARK, tmp.resolve("data"), all, null, null);
    String[] sets = {"model.hiddenLayers=[8, 8]", "model.dropout=0.2", "train.minibatchSize=16", "train.averagingFrequency=2",
        "train.epochs=3", "train.seed=11"};
    TrainResult a = train(data, tmp.resolve("a"), 2, sets);
    TrainResult b = train(data, tmp.resolve("b"), 2, sets);
    assertArrayEquals(params(a.model()), params(b.model()), 0f);

    RoundListener crash = (view, m) -> {
      if (view.epoch() == 3 && view.round() == 2 * view.roundsPerEpoch() + 1) {
        throw new IllegalStateException("simulated crash");
      }
    };
    Path c = tmp.resolve("c");
    assertThrows(IllegalStateException.class, () -> train(data, c, 2, TrainRequest.OutputMode.NEW, List.of(crash), sets));
    assertFalse(Files.exists(c.resolve("model.zip")));
    assertTrue(Files.isDirectory(c.resolve("checkpoints/epoch-0002")));
    TrainResult resumed = train(data, c, 2, TrainRequest.OutputMode.RESUME, List.of(), sets);
    assertArrayEquals(params(a.model()), params(resumed.model()), 0f);
    assertEquals(Files.readAllLines(tmp.resolve("a/metrics.jsonl")).size(), Files.readAllLines(c.resolve("metrics.jsonl")).size());
  }

  @Test
  void aRunWrittenBeforeTheNewerKeysResumesButAChangedKeyIsRefused(@TempDir Path tmp) throws Exception {
    Examples all = GeneratedPrepData.blobs(60, 4, 3, 6);
    Path data = GeneratedPrepData.write(SPARK, tmp.resolve("data"), all, null, null);
    String[] sets = {"model.hiddenLayers=[4]", "train.minibatchSize=16", "train.averagingFrequency=2", "train.epochs=2"};
    RoundListener crash = (view, m) -> {
      if (view.epoch() == 2) {
        throw new IllegalStateException("simulated crash");
      }
    };
    Path run = tmp.resolve("run");
    assertThrows(IllegalStateException.class, () -> train(data, run, 2, TrainRequest.OutputMode.NEW, List.of(crash), sets));
    Path configJson = run.resolve("config.json");
    ObjectMapper json = new ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(configJson.toFile());
    com.fasterxml.jackson.databind.node.ObjectNode babysit = (com.fasterxml.jackson.databind.node.ObjectNode) root.path("config").path("babysit");
    String original = Files.readString(configJson);

    // a babysit threshold changed since: refused, as any other changed key
    babysit.put("abortLossFactor", 5.0);
    json.writeValue(configJson.toFile(), root);
    BadInputException changed = assertThrows(BadInputException.class,
        () -> train(data, run, 2, TrainRequest.OutputMode.RESUME, List.of(), sets));
    assertTrue(changed.getMessage().contains("configuration differs"), changed.getMessage());

    // the keys added with the ranked diagnosis absent, as in a run written before them: resumes
    Files.writeString(configJson, original);
    root = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(configJson.toFile());
    ((com.fasterxml.jackson.databind.node.ObjectNode) root.path("config").path("babysit"))
        .remove(List.of("warmupShare", "minJudgedRounds", "oscillationFlips", "oscillationAmplitude", "chanceAlpha"));
    // and the train keys added switched off since (block momentum, warm-up)
    ((com.fasterxml.jackson.databind.node.ObjectNode) root.path("config").path("train"))
        .remove(List.of("blockMomentum", "blockLearningRate", "blockNesterov", "warmupIterations"));
    json.writeValue(configJson.toFile(), root);
    TrainResult resumed = train(data, run, 2, TrainRequest.OutputMode.RESUME, List.of(), sets);
    assertEquals(2, resumed.epochs());
    assertTrue(Files.exists(run.resolve("model.zip")));
  }

  @Test
  void reestimatedBatchNormStatisticsEqualTheTrainingSplitsActivationMoments(@TempDir Path tmp) throws Exception {
    Examples all = GeneratedPrepData.blobs(150, 4, 3, 8);
    Path data = GeneratedPrepData.write(SPARK, tmp.resolve("data"), all, null, null);
    TrainResult r = train(data, tmp.resolve("run"), 2, "model.hiddenLayers=[5, 3]", "train.minibatchSize=16",
        "train.epochs=2", "train.reestimateBatchNorm=true");
    MultiLayerNetwork net = r.model();
    float[] flat = new float[all.size() * 4];
    for (int i = 0; i < all.size(); i++) {
      System.arraycopy(all.features()[i], 0, flat, i * 4, 4);
    }
    INDArray x = Nd4j.create(flat, new long[] {all.size(), 4}, DataType.FLOAT).castTo(DataType.DOUBLE);
    // Block 0: Dense(identity) -> BN -> ReLU; block 1 the same; computed here by hand in double.
    INDArray z0 = x.mmul(d(net.getParam("0_W"))).addRowVector(d(net.getParam("0_b")));
    assertMoments(z0, net, 1);
    INDArray a0 = Transforms.relu(bn(z0, net, 1));
    INDArray z1 = a0.mmul(d(net.getParam("3_W"))).addRowVector(d(net.getParam("3_b")));
    assertMoments(z1, net, 4);
  }

  private static INDArray d(INDArray a) {
    return a.castTo(DataType.DOUBLE);
  }

  private static INDArray bn(INDArray z, MultiLayerNetwork net, int layer) {
    INDArray mean = d(net.getParam(layer + "_mean"));
    INDArray std = Transforms.sqrt(d(net.getParam(layer + "_var")).add(1e-5));
    return z.subRowVector(mean).divRowVector(std).mulRowVector(d(net.getParam(layer + "_gamma")))
        .addRowVector(d(net.getParam(layer + "_beta")));
  }

  private static void assertMoments(INDArray z, MultiLayerNetwork net, int layer) {
    double[] mean = z.mean(0).toDoubleVector();
    double[] var = z.var(false, 0).toDoubleVector();
    double[] gotMean = d(net.getParam(layer + "_mean")).toDoubleVector();
    double[] gotVar = d(net.getParam(layer + "_var")).toDoubleVector();
    for (int j = 0; j < mean.length; j++) {
      assertEquals(mean[j], gotMean[j], 1e-4 * (1 + Math.abs(mean[j])), "layer " + layer + " mean " + j);
      assertEquals(var[j], gotVar[j], 1e-4 * (1 + var[j]), "layer " + layer + " var " + j);
    }
  }

  @Test
  void spiralsAreLearnedToAtLeast95PercentValidationAccuracy(@TempDir Path tmp) throws Exception {
    Examples all = GeneratedPrepData.spirals(200, 3, 0.15, 21);
    Examples[] s = GeneratedPrepData.split(all, 420, 90);
    Path data = GeneratedPrepData.write(SPARK, tmp.resolve("data"), s[0], s[1], s[2]);
    Path run = tmp.resolve("run");
    TrainResult r = train(data, run, 2, "model.hiddenLayers=[64, 64]", "train.learningRate=0.02",
        "train.minibatchSize=16", "train.epochs=12", "train.checkpointEveryEpochs=0");
    double valAccuracy = accuracy(r.model(), s[1]);
    assertTrue(valAccuracy >= 0.95, "validation accuracy " + valAccuracy);
    assertEquals(valAccuracy, r.valAccuracy(), 1e-9, "the distributed evaluation agrees with the model applied here");
    assertTrue(r.valAccuracyBeforeReestimate() != null);
    JsonNode evaluation = new ObjectMapper().readTree(run.resolve("evaluation.json").toFile());
    assertEquals(accuracy(r.model(), s[2]), evaluation.get("accuracy").asDouble(), 1e-9);
    assertEquals(90, evaluation.get("count").asInt());
    List<String> rows = Files.readAllLines(run.resolve("metrics.jsonl"));
    assertEquals(r.rounds(), rows.size());
    for (String line : rows) {
      JsonNode m = new ObjectMapper().readTree(line);
      assertEquals(m.get("round").asInt() % (r.rounds() / 12) == 0, m.get("val_accuracy").isNumber(), line);
    }
    assertTrue(Files.isDirectory(run.resolve("checkpoints/epoch-0012")), "checkpointEveryEpochs=0 still checkpoints the end");
    assertFalse(Files.exists(run.resolve("checkpoints/epoch-0011")));
  }

  private static double accuracy(MultiLayerNetwork net, Examples e) {
    int d = e.numFeatures();
    float[] flat = new float[e.size() * d];
    for (int i = 0; i < e.size(); i++) {
      System.arraycopy(e.features()[i], 0, flat, i * d, d);
    }
    INDArray predicted = net.output(Nd4j.create(flat, new long[] {e.size(), d}, DataType.FLOAT)).argMax(1);
    int correct = 0;
    for (int i = 0; i < e.size(); i++) {
      correct += predicted.getInt(i) == e.labels()[i] ? 1 : 0;
    }
    return (double) correct / e.size();
  }

  @Test
  void aNonFiniteLossAbortsAfterWritingTheRoundAndWritesNoModel(@TempDir Path tmp) throws Exception {
    Examples blobs = GeneratedPrepData.blobs(64, 3, 2, 5);
    for (float[] row : blobs.features()) {
      for (int j = 0; j < row.length; j++) {
        row[j] *= 1e30f; // finite in the file; one SGD step makes the weights overflow the next pass
      }
    }
    Path data = GeneratedPrepData.write(SPARK, tmp.resolve("data"), blobs, null, null);
    Path run = tmp.resolve("run");
    TrainingAbortedException e = assertThrows(TrainingAbortedException.class, () -> train(data, run, 2,
        "model.hiddenLayers=[4]", "model.batchNorm=false", "train.updater=sgd", "train.learningRate=1",
        "train.minibatchSize=8", "train.averagingFrequency=1", "train.epochs=5"));
    List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
    assertTrue(e.getMessage().contains("in round " + lines.size() + " "), e.getMessage());
    JsonNode row = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertTrue(row.get("train_loss").isTextual(), "non-finite loss written as a string: " + row);
    assertFalse(Files.exists(run.resolve("model.zip")));
  }

  @Test
  void aListenerSeesTheRunAddsLayerMetricsAndCanAbort(@TempDir Path tmp) throws Exception {
    Examples all = GeneratedPrepData.blobs(64, 3, 2, 5);
    Path data = GeneratedPrepData.write(SPARK, tmp.resolve("data"), all, null, null);
    Path run = tmp.resolve("run");
    List<String> seen = new ArrayList<>();
    RoundListener listener = new RoundListener() {
      @Override
      public void beforeTraining(TrainingView v) {
        seen.add("before " + v.layerNames() + " probe " + v.probeFeatures().rows() + " loss " + (v.initialLoss() > 0));
      }

      @Override
      public void afterRound(TrainingView v, RoundMetrics.Builder m) {
        m.layer("dense_0").deadFraction(0.5);
        if (v.round() == 2) {
          throw new TrainingAbortedException("loss exploded");
        }
      }
    };
    assertThrows(TrainingAbortedException.class, () -> train(data, run, 2, TrainRequest.OutputMode.NEW, List.of(listener),
        "model.hiddenLayers=[4]", "train.minibatchSize=8", "train.averagingFrequency=1", "babysit.probeBatchSize=10"));
    assertEquals(List.of("before [dense_0, output] probe 10 loss true"), seen);
    List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
    assertEquals(2, lines.size());
    JsonNode layer0 = new ObjectMapper().readTree(lines.get(1)).get("layers").get(0);
    assertEquals(0.5, layer0.get("dead_fraction").asDouble());
    assertTrue(layer0.get("update_ratio").asDouble() > 0);
    assertFalse(Files.exists(run.resolve("model.zip")));
  }
}
