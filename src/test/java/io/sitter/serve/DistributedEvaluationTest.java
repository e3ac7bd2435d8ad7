package io.sitter.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.TestSpark;
import io.sitter.config.BadInputException;
import io.sitter.metrics.EvaluationResult;
import io.sitter.model.NetworkPayload;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;

class DistributedEvaluationTest {
  private static final int CLASSES = 3;
  private static SparkSession spark;
  private static EvaluationTestData data;
  private static MultiLayerNetwork net;

  @BeforeAll
  static void setUp() {
    spark = TestSpark.session();
    // 1100 rows: more than one inference minibatch (512) per partition with 2 partitions.
    data = new EvaluationTestData(1100, 6, CLASSES, 3);
    net = data.trainedNetwork(CLASSES, 2);
  }

  @Test
  void agreesWithDl4jEvaluationOfTheSameNetworkRunLocally() {
    List<String> names = List.of("left", "middle", "right");
    EvaluationResult r =
        DistributedEvaluation.evaluate(spark, NetworkPayload.of(net), data.toDataset(spark, 2), CLASSES, names);

    Evaluation dl4j = new Evaluation(CLASSES);
    dl4j.eval(data.oneHot(CLASSES), net.output(data.features(), false));
    assertEquals(1100, r.count());
    assertTrue(dl4j.accuracy() > 0.5 && dl4j.accuracy() < 1.0, "the test network should be partly right: " + dl4j.accuracy());
    assertEquals(dl4j.accuracy(), r.accuracy(), 1e-12);
    for (int c = 0; c < CLASSES; c++) {
      EvaluationResult.PerClass p = r.perClass().get(c);
      assertEquals(names.get(c), p.name());
      assertEquals(dl4j.precision(c), p.precision(), 1e-12, "precision of " + c);
      assertEquals(dl4j.recall(c), p.recall(), 1e-12, "recall of " + c);
      assertEquals(dl4j.f1(c), p.f1(), 1e-12, "f1 of " + c);
      assertEquals(dl4j.getConfusionMatrix().getActualTotal(c), p.support());
      for (int q = 0; q < CLASSES; q++) {
        assertEquals(dl4j.getConfusionMatrix().getCount(c, q), r.confusion(c, q), "confusion " + c + "," + q);
      }
    }
    // DL4J's score is the mean MCXENT with the same 1e-10 clipping (l2 is 0 here).
    double score = net.score(new DataSet(data.features(), data.oneHot(CLASSES)), false);
    assertEquals(score, r.loss(), 1e-5 * score);
  }

  @Test
  void resultDoesNotDependOnPartitioning() {
    NetworkPayload model = NetworkPayload.of(net);
    EvaluationResult one = DistributedEvaluation.evaluate(spark, model, data.toDataset(spark, 1), CLASSES, null);
    EvaluationResult five = DistributedEvaluation.evaluate(spark, model, data.toDataset(spark, 5), CLASSES, null);
    assertEquals(one.count(), five.count());
    assertEquals(one.accuracy(), five.accuracy(), 0.0);
    // float inference over differently composed minibatches rounds differently in the last bits
    assertEquals(one.loss(), five.loss(), 1e-6 * one.loss());
    assertEquals(List.of("0", "1", "2"), five.classes());
    for (int a = 0; a < CLASSES; a++) {
      for (int p = 0; p < CLASSES; p++) {
        assertEquals(one.confusion(a, p), five.confusion(a, p));
      }
    }
  }

  @Test
  void wrongFeatureCountIsBadInputNamingExpectedAndFound() {
    Dataset<Row> rows = data.toDataset(spark, 2).withColumn("features", functions.slice(functions.col("features"), 1, 5));
    Exception e = assertThrows(Exception.class,
        () -> DistributedEvaluation.evaluate(spark, NetworkPayload.of(net), rows, CLASSES, null));
    String message = BadInputException.find(e).orElseThrow(() -> new AssertionError("not bad input", e)).getMessage();
    assertTrue(message.contains("expects 6") && message.contains("has 5"), message);
  }

  @Test
  void labelOutsideTheModelsClassesIsBadInputNamingTheRow() {
    Dataset<Row> rows = data.toDataset(spark, 2)
        .withColumn("label", functions.when(functions.col("index").equalTo(17), 3).otherwise(functions.col("label")));
    Exception e = assertThrows(Exception.class,
        () -> DistributedEvaluation.evaluate(spark, NetworkPayload.of(net), rows, CLASSES, null));
    String message = BadInputException.find(e).orElseThrow(() -> new AssertionError("not bad input", e)).getMessage();
    assertTrue(message.contains("row 17") && message.contains("label 3"), message);
  }

  @Test
  void missingLabelColumnIsBadInput() {
    Dataset<Row> rows = data.toDataset(spark, 2).drop("label");
    BadInputException e = assertThrows(BadInputException.class,
        () -> DistributedEvaluation.evaluate(spark, NetworkPayload.of(net), rows, CLASSES, null));
    assertTrue(e.getMessage().contains("'label'"), e.getMessage());
  }
}
