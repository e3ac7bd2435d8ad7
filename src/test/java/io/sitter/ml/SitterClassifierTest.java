package io.sitter.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.TestFiles;
import io.sitter.TestSpark;
import io.sitter.cli.SitterMain;
import io.sitter.config.ConfigLoader;
import io.sitter.config.SitterConfig;
import io.sitter.model.FloatArrays;
import io.sitter.prep.FittedNormalizer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Param;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SitterClassifierTest {
  private static SparkSession spark;
  @TempDir static Path shared;
  private static List<String> lines;
  private static Path csv;
  private static Dataset<Row> frame;

  @BeforeAll
  static void data() {
    spark = TestSpark.session();
    lines = TestFiles.blobsCsv(150, 4, 3, 11, false);
    csv = TestFiles.write(shared.resolve("blobs.csv"), lines);
    frame = MlTestData.frame(spark, lines);
  }

  @Test
  void fitsTheSameParametersAsSitterTrainOnTheSameRows(@TempDir Path tmp) throws Exception {
    Path run = tmp.resolve("cli-run");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SitterMain.execute(new String[] {"train", "--input", csv.toString(), "--out", run.toString(),
        "--split", "0.8,0.2,0", "--seed", "7", "--mode", "standardize", "--partitions", "2", "--no-checks",
        "--set", "model.hiddenLayers=[8]", "--set", "train.epochs=2", "--set", "train.minibatchSize=16", "--set", "train.seed=7"},
        new PrintWriter(out), new PrintWriter(err));
    assertEquals(0, code, err.toString());
    MultiLayerNetwork cli = ModelSerializer.restoreMultiLayerNetwork(run.resolve("model.zip").toFile(), false);

    SitterClassificationModel model = MlTestData.small().fit(frame);

    float[] expected = FloatArrays.read(cli.params());
    assertEquals(expected.length, model.network().params().length);
    assertArrayEquals(expected, model.network().params(), "the API and sitter train must train the same network");
    FittedNormalizer cliPrep = TestFiles.normalizer(run.resolve("preprocessing.json"));
    FittedNormalizer apiPrep = FittedNormalizer.fromJson(model.preprocessingJson(), "model");
    assertArrayEquals(cliPrep.mean(), apiPrep.mean());
    assertArrayEquals(cliPrep.std(), apiPrep.std());
    assertEquals(cliPrep.counts(), apiPrep.counts(), "the same split");
  }

  @Test
  void transformGivesTheNetworksProbabilitiesOnNormalizedFeaturesAndEvaluatesWithSparksEvaluator() {
    SitterClassificationModel model = MlTestData.small().setEpochs(8).setLearningRate(0.03).fit(frame);
    Dataset<Row> scored = model.transform(frame);
    assertTrue(List.of(scored.columns()).containsAll(List.of("rawPrediction", "probability", "prediction")));
    FittedNormalizer prep = FittedNormalizer.fromJson(model.preprocessingJson(), "model");
    double[] mean = prep.mean();
    double[] std = prep.std();
    MultiLayerNetwork net = model.toNetwork();
    List<Row> rows = scored.select("features", "probability", "prediction").collectAsList();
    for (Row r : rows.subList(0, 20)) {
      double[] x = ((Vector) r.get(0)).toArray();
      float[] z = new float[x.length];
      for (int j = 0; j < x.length; j++) {
        z[j] = (float) ((x[j] - mean[j]) / std[j]);
      }
      INDArray p = net.output(Nd4j.create(z, new long[] {1, z.length}, 'c'), false);
      double[] got = ((Vector) r.get(1)).toArray();
      int argmax = 0;
      for (int c = 0; c < got.length; c++) {
        assertEquals(p.getDouble(0, c), got[c], 1e-6, "probability of class " + c);
        argmax = got[c] > got[argmax] ? c : argmax;
      }
      assertEquals(argmax, r.getDouble(2));
    }
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(scored);
    long correct = rows.stream().filter(r -> r.getDouble(2) == lineLabel(rows.indexOf(r))).count();
    assertEquals((double) correct / rows.size(), accuracy, 1e-12);
    // Class means 1 apart in each of 4 features with unit noise: the Bayes accuracy is about 0.79, chance 1/3.
    assertTrue(accuracy > 0.6, "the network learned the blobs: " + accuracy);
  }

  /**
   * Every row of partitions larger than one scoring minibatch (two partitions of about 600 rows: a
   * full batch of 512 and a partial one each) against DL4J's output for that row alone, computed here
   * from the saved normalization; the input columns come back in order, with their metadata.
   */
  @Test
  void batchedTransformEqualsTheNetworkRowByRowAcrossBatchBoundaries() {
    SitterClassificationModel model = MlTestData.small().setEpochs(4).setLearningRate(0.03).fit(frame);
    Dataset<Row> many = frame;
    for (int k = 0; k < 7; k++) {
      many = many.union(frame);
    }
    org.apache.spark.sql.types.Metadata nominal = org.apache.spark.ml.attribute.NominalAttribute.defaultAttr().withName("label")
        .withNumValues(3).toMetadata();
    many = many.repartition(2).withColumn("label", org.apache.spark.sql.functions.col("label").as("label", nominal));
    Dataset<Row> scored = model.transform(many);
    assertEquals(List.of("features", "label", "rawPrediction", "probability", "prediction"), List.of(scored.columns()));
    assertEquals(nominal, scored.schema().apply("label").metadata(), "labelCol's metadata (StringIndexer's) is kept");
    assertEquals(model.numClasses(),
        org.apache.spark.ml.attribute.AttributeGroup.fromStructField(scored.schema().apply("rawPrediction")).size());
    List<Integer> sizes = scored.javaRDD().glom().map(List::size).collect();
    assertEquals(2, sizes.size(), sizes.toString());
    assertTrue(sizes.stream().allMatch(n -> n > io.sitter.serve.RowBatches.BATCH_ROWS && n % io.sitter.serve.RowBatches.BATCH_ROWS != 0),
        "each partition a full minibatch and a partial one: " + sizes);

    FittedNormalizer prep = FittedNormalizer.fromJson(model.preprocessingJson(), "model");
    double[] mean = prep.mean();
    double[] std = prep.std();
    MultiLayerNetwork net = model.toNetwork();
    List<Row> rows = scored.select("features", "rawPrediction", "probability", "prediction").collectAsList();
    assertEquals(1200, rows.size());
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      double[] x = ((Vector) r.get(0)).toArray();
      float[] z = new float[x.length];
      for (int j = 0; j < x.length; j++) {
        z[j] = (float) ((x[j] - mean[j]) / std[j]);
      }
      INDArray p = net.output(Nd4j.create(z, new long[] {1, z.length}, 'c'), false);
      double[] raw = ((Vector) r.get(1)).toArray();
      double[] got = ((Vector) r.get(2)).toArray();
      int argmax = 0;
      for (int c = 0; c < got.length; c++) {
        assertEquals(p.getDouble(0, c), got[c], 1e-6, "row " + i + ", probability of class " + c);
        assertEquals(Math.log(p.getDouble(0, c)), raw[c], 1e-5, "row " + i + ", raw prediction of class " + c);
        argmax = p.getDouble(0, c) > p.getDouble(0, argmax) ? c : argmax;
      }
      assertEquals(argmax, r.getDouble(3), "row " + i);
    }
  }

  /** Nothing runs until the result is: a bad row fails the action, not transform. */
  @Test
  void transformIsLazyAndABadRowFailsItsAction() {
    SitterClassificationModel model = MlTestData.small().fit(frame);
    Dataset<Row> shortRow = spark.createDataFrame(List.of(
        org.apache.spark.sql.RowFactory.create(org.apache.spark.ml.linalg.Vectors.dense(1, 2, 3), 0.0)), MlTestData.SCHEMA);
    Dataset<Row> scored = model.transform(shortRow);
    assertEquals(List.of("features", "label", "rawPrediction", "probability", "prediction"), List.of(scored.columns()));
    Exception e = assertThrows(Exception.class, scored::collectAsList);
    assertTrue(String.valueOf(e.getMessage()).contains("the model expects 4 features, a row has 3"), e.getMessage());
  }

  @Test
  void arraysOfFloatsTrainAndScoreAsTheirVectorsDo() {
    Dataset<Row> arrays = frame.withColumn("features",
        org.apache.spark.ml.functions.vector_to_array(org.apache.spark.sql.functions.col("features"), "float32"));
    // The same values as vectors: features are taken as given (double), so the vectors must hold
    // the float32 values the arrays do for the two to be the same data.
    Dataset<Row> vectors = arrays.withColumn("features",
        org.apache.spark.ml.functions.array_to_vector(org.apache.spark.sql.functions.col("features")));
    SitterClassificationModel fromVectors = MlTestData.small().fit(vectors);
    SitterClassificationModel fromArrays = MlTestData.small().fit(arrays);
    assertArrayEquals(fromVectors.network().params(), fromArrays.network().params());
    Dataset<Row> scored = fromArrays.transform(arrays);
    assertEquals(List.of("features", "label", "rawPrediction", "probability", "prediction"), List.of(scored.columns()));
    assertEquals(arrays.schema().apply("features"), scored.schema().apply("features"), "the input column is left as it was");
    List<Row> a = scored.select("probability").collectAsList();
    List<Row> v = fromVectors.transform(vectors).select("probability").collectAsList();
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(((Vector) v.get(i).get(0)).toArray(), ((Vector) a.get(i).get(0)).toArray(), "row " + i);
    }
  }

  private static double lineLabel(int i) {
    String[] f = lines.get(i).split(",");
    return Double.parseDouble(f[f.length - 1]);
  }

  @Test
  void paramsCarryTheDefaultsAndChecksOfTheConfigRecords() {
    SitterConfig defaults = ConfigLoader.defaults();
    SitterClassifier c = new SitterClassifier();
    assertEquals(defaults.train().learningRate(), c.getLearningRate());
    assertEquals(defaults.train().epochs(), c.getEpochs());
    assertEquals(defaults.train().seed(), c.getSeed());
    assertEquals(defaults.model().hiddenLayers(), java.util.Arrays.stream(c.getHiddenLayers()).boxed().toList());
    assertEquals(defaults.model().activation().key(), c.getActivation());
    Param<Object> abort = c.getParam("abortLossFactor");
    assertEquals(defaults.babysit().abortLossFactor(), c.getOrDefault(abort));
    assertEquals(defaults, c.sitterConfig(), "unchanged params give conf/default.yaml");

    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> c.setLearningRate(20));
    assertTrue(bad.getMessage().contains("train.learningRate must be in (0, 10.0], got 20.0"), bad.getMessage());
    bad = assertThrows(IllegalArgumentException.class, () -> c.setActivation("softsign"));
    assertTrue(bad.getMessage().contains("model.activation must be one of"), bad.getMessage());
    bad = assertThrows(IllegalArgumentException.class, () -> c.setHiddenLayers(new int[] {8, 0}));
    assertTrue(bad.getMessage().contains("model.hiddenLayers[1] must be >= 1"), bad.getMessage());
    assertThrows(IllegalArgumentException.class, () -> c.setBabysit("abortLossFactor", -1.0));
    assertThrows(IllegalArgumentException.class, () -> c.setNormalization("pixel-mean"));
    assertThrows(IllegalArgumentException.class, () -> c.setValidationFraction(1.0));
    // A rule across two keys is checked when the configuration is built, whatever order they were set in.
    c.setBlockNesterov(true);
    bad = assertThrows(IllegalArgumentException.class, c::sitterConfig);
    assertTrue(bad.getMessage().contains("train.blockNesterov needs train.blockMomentum > 0"), bad.getMessage());
    c.setBlockMomentum(0.5).setHiddenLayers(new int[] {32, 16}).setUpdater("sgd").setBabysit("abortLossFactor", 5.0);
    assertEquals(ConfigLoader.defaults(List.of("train.blockNesterov=true", "train.blockMomentum=0.5",
        "model.hiddenLayers=[32, 16]", "train.updater=sgd", "babysit.abortLossFactor=5.0")), c.sitterConfig());
    // Every key of conf/default.yaml is a param of the same name.
    for (var section : List.of("model", "train", "babysit")) {
      ConfigLoader.toTree(defaults).get(section).fieldNames().forEachRemaining(k -> assertTrue(c.hasParam(k), k));
    }
  }

  @Test
  void runDirHoldsWhatSitterTrainWrites(@TempDir Path tmp) {
    Path run = tmp.resolve("run");
    MlTestData.small().setRunDir(run.toUri().toString()).fit(frame);
    for (String f : List.of("config.json", "preprocessing.json", "metrics.jsonl", "metrics.csv", "checks.json", "training.json",
        "model.zip", "report.html", "prep/train")) {
      assertTrue(Files.exists(run.resolve(f)), f);
    }
    IllegalArgumentException again = assertThrows(IllegalArgumentException.class,
        () -> MlTestData.small().setRunDir(run.toString()).fit(frame));
    assertTrue(again.getMessage().contains("already exists"), again.getMessage());
  }

  @Test
  void anAbortThrowsTheDiagnosis(@TempDir Path tmp) {
    Path run = tmp.resolve("run");
    SitterTrainingAbortedException e = assertThrows(SitterTrainingAbortedException.class, () -> MlTestData.small()
        .setUpdater("sgd").setLearningRate(10).setBatchNorm(false).setEpochs(3).setRunDir(run.toString()).fit(frame));
    assertFalse(e.diagnosis().isEmpty(), e.getMessage());
    assertEquals(TestFiles.checks(run.resolve("checks.json")).diagnosis(), e.diagnosis());
    assertTrue(e.getMessage().contains(e.diagnosis().get(0).text()), e.getMessage());
    assertEquals(run.toString(), new org.apache.hadoop.fs.Path(e.runDir()).toUri().getPath());
  }
}
