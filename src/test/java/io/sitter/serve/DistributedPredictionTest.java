package io.sitter.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sitter.TestSpark;
import io.sitter.model.NetworkPayload;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DistributedPredictionTest {
  private static SparkSession spark;
  private static EvaluationTestData data;
  private static MultiLayerNetwork net;
  private static float[][] expected;

  @BeforeAll
  static void setUp() {
    spark = TestSpark.session();
    data = new EvaluationTestData(600, 4, 3, 21);
    net = data.trainedNetwork(3, 1);
    expected = net.output(data.features(), false).toFloatMatrix();
  }

  @Test
  void integerLabelsGiveIntegerPredictionsEqualToTheArgmaxOfTheNetworksOutput() {
    // Integer labels that are not 0..2: the prediction must be the original label, not the index.
    List<String> classes = List.of("3", "5", "9");
    Dataset<Row> out = DistributedPrediction.predict(spark, NetworkPayload.of(net), data.toDataset(spark, 3), classes, false);
    assertEquals(DataTypes.IntegerType, out.schema().apply("prediction").dataType());
    List<Row> rows = out.collectAsList();
    assertEquals(600, rows.size());
    for (Row r : rows) {
      int i = (int) r.getLong(0);
      float[] p = {r.getFloat(2), r.getFloat(3), r.getFloat(4)};
      assertArrayEquals(expected[i], p, 1e-6f, "row " + i);
      int best = 0;
      for (int c = 1; c < 3; c++) {
        best = expected[i][c] > expected[i][best] ? c : best;
      }
      assertEquals(Integer.parseInt(classes.get(best)), r.getInt(1), "row " + i);
    }
  }

  @Test
  void rowsWithoutIndexOrLabelAreStillPredicted() {
    Dataset<Row> bare = data.toDataset(spark, 2).drop("index", "label");
    List<Row> rows = DistributedPrediction.predict(spark, NetworkPayload.of(net), bare, List.of("a", "b", "c"), true).collectAsList();
    assertEquals(600, rows.size());
    rows.forEach(r -> assertEquals(-1L, r.getLong(0)));
    assertEquals(DataTypes.StringType, DistributedPrediction.schema(List.of("a", "b"), true).apply("prediction").dataType());
  }
}
