package io.sitter.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CountCorrectTest {
  @Test
  void agreesWithNd4jArgMaxOnRandomScoresWithTies() {
    SplittableRandom rng = new SplittableRandom(3);
    int rows = 200;
    int classes = 7;
    float[] scores = new float[rows * classes];
    int[] labels = new int[rows];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = rng.nextInt(4); // few distinct values: many ties, where the first maximum must win
    }
    for (int r = 0; r < rows; r++) {
      labels[r] = rng.nextInt(classes);
    }
    INDArray argMax = Nd4j.createFromArray(scores).reshape(rows, classes).argMax(1);
    long expected = 0;
    for (int r = 0; r < rows; r++) {
      expected += argMax.getInt(r) == labels[r] ? 1 : 0;
    }
    assertEquals(expected, TrainFunctions.countCorrect(scores, classes, labels));
  }

  @Test
  void handWorkedRows() {
    float[] scores = {0.1f, 0.7f, 0.2f, 0.5f, 0.5f, 0f, -1f, -3f, -2f};
    assertEquals(2, TrainFunctions.countCorrect(scores, 3, new int[] {1, 1, 0}), "row 1 ties: class 0 wins");
    assertEquals(3, TrainFunctions.countCorrect(scores, 3, new int[] {1, 0, 0}));
    assertEquals(0, TrainFunctions.countCorrect(scores, 3, new int[] {2, 2, 2}));
  }

  @Test
  void refusesMismatchedSizes() {
    assertThrows(IllegalArgumentException.class, () -> TrainFunctions.countCorrect(new float[5], 3, new int[2]));
  }
}
