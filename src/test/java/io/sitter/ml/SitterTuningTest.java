package io.sitter.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.TestFiles;
import io.sitter.TestSpark;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Spark's model selection over sitter's params. */
class SitterTuningTest {
  private static Dataset<Row> frame;

  @BeforeAll
  static void data() {
    frame = MlTestData.frame(TestSpark.session(), TestFiles.blobsCsv(120, 4, 3, 3, false));
  }

  private static int argmax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      best = v[i] > v[best] ? i : best;
    }
    return best;
  }

  @Test
  void crossValidatorPicksTheLearningRateThatLearns() {
    SitterClassifier clf = MlTestData.small();
    // 1e-6 cannot move the weights in two epochs (chance, 1/3); 0.03 learns the blobs (Bayes accuracy about 0.79).
    ParamMap[] grid = new ParamGridBuilder().addGrid(clf.learningRate(), new double[] {1e-6, 0.03}).build();
    CrossValidatorModel cv = new CrossValidator().setEstimator(clf).setEstimatorParamMaps(grid)
        .setEvaluator(new MulticlassClassificationEvaluator().setMetricName("accuracy")).setNumFolds(2).setSeed(3).fit(frame);
    double[] metrics = cv.avgMetrics();
    assertEquals(2, metrics.length);
    assertEquals(1, argmax(metrics), "accuracies " + java.util.Arrays.toString(metrics));
    assertTrue(metrics[1] > metrics[0] + 0.15, java.util.Arrays.toString(metrics));
    SitterClassificationModel best = (SitterClassificationModel) cv.bestModel();
    assertEquals(0.03, ((SitterClassifier) best.parent()).getLearningRate());
    assertEquals(3, best.numClasses());
  }

  @Test
  void trainValidationSplitTriesHiddenLayerShapes() {
    SitterClassifier clf = MlTestData.small().setLearningRate(0.03).setEpochs(1);
    // ParamGridBuilder's generic addGrid takes a Scala Iterable; from Java a grid over an array param is a ParamMap each.
    ParamMap[] grid = {new ParamMap().put(clf.hiddenLayers(), new int[] {4}), new ParamMap().put(clf.hiddenLayers(), new int[] {6, 5})};
    TrainValidationSplitModel tvs = new TrainValidationSplit().setEstimator(clf).setEstimatorParamMaps(grid)
        .setEvaluator(new MulticlassClassificationEvaluator()).setTrainRatio(0.75).setSeed(5).fit(frame);
    assertEquals(2, tvs.validationMetrics().length);
    SitterClassificationModel best = (SitterClassificationModel) tvs.bestModel();
    int[] chosen = ((int[][]) new int[][] {{4}, {6, 5}})[argmax(tvs.validationMetrics())];
    assertTrue(java.util.Arrays.equals(chosen, ((SitterClassifier) best.parent()).getHiddenLayers()));
    // The network has the chosen shape: 4 inputs, the hidden layers (each Dense + BatchNorm), 3 outputs.
    int expected = 0;
    int in = 4;
    for (int h : chosen) {
      expected += in * h + h + 4 * h;
      in = h;
    }
    expected += in * 3 + 3;
    assertEquals(expected, best.network().params().length);
  }
}
