package io.sitter.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.TestFiles;
import io.sitter.TestSpark;
import io.sitter.model.FloatArrays;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

class SitterPersistenceTest {
  private static final String[] COLUMNS = {"f0", "f1", "f2", "f3"};
  private static final List<String> LINES = TestFiles.blobsCsv(120, 4, 3, 5, false);

  /** The blobs as four double columns and a label, as a user's table would hold them. */
  private static Dataset<Row> table(SparkSession spark) {
    StructType schema = new StructType();
    for (String c : COLUMNS) {
      schema = schema.add(c, DataTypes.DoubleType);
    }
    schema = schema.add("label", DataTypes.DoubleType);
    List<Row> rows = new ArrayList<>();
    for (String line : LINES) {
      rows.add(RowFactory.create(Stream.of(line.split(",")).map(v -> (Object) (double) Float.parseFloat(v)).toArray()));
    }
    return spark.createDataFrame(rows, schema);
  }

  private static List<double[]> probabilities(Dataset<Row> scored) {
    return scored.select("probability").collectAsList().stream().map(r -> ((Vector) r.get(0)).toArray()).toList();
  }

  @Test
  void aFittedPipelineSavesAndLoadsAndPredictsTheSameAlsoInANewSession(@TempDir Path tmp) throws Exception {
    SparkSession spark = TestSpark.session();
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new VectorAssembler().setInputCols(COLUMNS).setOutputCol("features"), MlTestData.small().setLearningRate(0.02)});
    PipelineModel fitted = pipeline.fit(table(spark));
    List<double[]> before = probabilities(fitted.transform(table(spark)));
    SitterClassificationModel model = (SitterClassificationModel) fitted.stages()[1];
    String path = tmp.resolve("pipeline").toUri().toString();
    fitted.write().overwrite().save(path);

    // The saved model zip is DL4J's own format: plain DL4J reads it and computes the same probabilities.
    Path zip;
    try (Stream<Path> files = Files.walk(tmp.resolve("pipeline"))) {
      zip = files.filter(f -> f.getFileName().toString().equals("model.zip")).findFirst().orElseThrow();
    }
    MultiLayerNetwork plain = ModelSerializer.restoreMultiLayerNetwork(zip.toFile(), false);
    assertArrayEquals(model.network().params(), FloatArrays.read(plain.params()));
    Vector x0 = (Vector) fitted.transform(table(spark)).select("features").first().get(0);
    float[] z = model.normalizer().apply(x0.toArray());
    double[] p0 = plain.output(Nd4j.create(z, new long[] {1, z.length}, 'c'), false).toDoubleVector();
    assertArrayEquals(p0, before.get(0), 1e-7);
    assertTrue(Files.exists(zip.resolveSibling("preprocessing.json")));

    // A new session: nothing of the first one survives but the files.
    spark.stop();
    SparkSession fresh = TestSpark.session();
    assertNotSame(spark, fresh);
    PipelineModel loaded = PipelineModel.load(path);
    SitterClassificationModel loadedModel = (SitterClassificationModel) loaded.stages()[1];
    assertEquals(model.uid(), loadedModel.uid());
    assertEquals(model.getProbabilityCol(), loadedModel.getProbabilityCol());
    assertEquals(model.preprocessingJson(), loadedModel.preprocessingJson());
    List<double[]> after = probabilities(loaded.transform(table(fresh)));
    assertEquals(before.size(), after.size());
    for (int i = 0; i < before.size(); i++) {
      assertArrayEquals(before.get(i), after.get(i), "row " + i);
    }
  }

  @Test
  void anUnfittedPipelineKeepsTheClassifiersParams(@TempDir Path tmp) throws Exception {
    TestSpark.session();
    SitterClassifier c = new SitterClassifier().setHiddenLayers(new int[] {64, 32}).setLearningRate(0.005).setEpochs(3)
        .setNormalization("center").setBabysit("abortLossFactor", 4.0).setRunDir("hdfs://nn:8020/runs/a");
    String path = tmp.resolve("estimator").toUri().toString();
    new Pipeline().setStages(new PipelineStage[] {c}).write().save(path);
    SitterClassifier back = (SitterClassifier) Pipeline.load(path).getStages()[0];
    assertEquals(c.uid(), back.uid());
    assertEquals(c.sitterConfig(), back.sitterConfig());
    assertEquals("center", back.getNormalization());
    assertEquals("hdfs://nn:8020/runs/a", back.getRunDir());
    for (org.apache.spark.ml.param.Param<?> p : c.params()) {
      assertEquals(c.isSet(p), back.isSet(back.getParam(p.name())), p.name());
      assertEquals(c.isDefined(p), back.isDefined(back.getParam(p.name())), p.name());
      assertTrue(!c.isDefined(p) || java.util.Objects.deepEquals(c.getOrDefault(p), back.getOrDefault(back.getParam(p.name()))), p.name());
    }
  }
}
