package io.sitter.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sitter.config.ConfigLoader;
import io.sitter.config.SitterConfig;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FloatArraysTest {
  private static float[] randomFloats(int n, long seed) {
    Random r = new Random(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }

  /** Row-major values read one element at a time through ND4J's indexed getter. */
  private static float[] elementWise(INDArray a) {
    long cols = a.rank() == 1 ? a.length() : a.size(1);
    float[] v = new float[(int) a.length()];
    for (int i = 0; i < v.length; i++) {
      v[i] = a.rank() == 1 ? a.getFloat(i) : a.getFloat(i / cols, i % cols);
    }
    return v;
  }

  @Test
  void aNetworksParametersAndUpdaterStateGoBothWaysInOneBulkCopy() {
    SitterConfig c = ConfigLoader.defaults(List.of("model.hiddenLayers=[16, 8]"));
    MultiLayerNetwork net = NetworkFactory.build(c.model(), c.train(), 12, 3, 7);
    INDArray params = net.params();
    INDArray state = net.getUpdater().getStateViewArray();
    for (INDArray a : List.of(params, state)) {
      assertEquals(true, FloatArrays.direct(a) != null, "the network's own arrays take the bulk path: " + a.shapeInfoToString());
      float[] values = randomFloats((int) a.length(), a.length());
      FloatArrays.write(values, a);
      assertArrayEquals(values, elementWise(a));
      assertArrayEquals(values, FloatArrays.read(a));
    }
    // The layers see the written parameters: their parameter arrays are views of the flat vector.
    float[] flat = FloatArrays.read(params);
    assertEquals(flat[0], net.getParam("0_W").getFloat(0, 0));
  }

  @Test
  void viewsStridedAndColumnMajorArraysAreCopiedInRowMajorOrder() {
    INDArray m = Nd4j.create(randomFloats(6 * 5, 3), new long[] {6, 5}, 'c');
    INDArray f = m.dup('f');
    INDArray column = m.getColumn(2);
    INDArray rows = m.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 4), org.nd4j.linalg.indexing.NDArrayIndex.all());
    INDArray doubles = m.castTo(DataType.DOUBLE);
    for (INDArray a : List.of(f, column, rows)) {
      assertEquals(null, FloatArrays.direct(a), a.shapeInfoToString());
      assertArrayEquals(elementWise(a), FloatArrays.read(a));
      float[] values = randomFloats((int) a.length(), 11);
      FloatArrays.write(values, a);
      assertArrayEquals(values, elementWise(a));
    }
    // The views wrote through to m: rows 1..3 now hold the last values written.
    assertArrayEquals(FloatArrays.read(rows), elementWise(m.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 4),
        org.nd4j.linalg.indexing.NDArrayIndex.all())));
    assertEquals(null, FloatArrays.direct(doubles));
    assertArrayEquals(elementWise(doubles.castTo(DataType.FLOAT)), FloatArrays.read(doubles.castTo(DataType.FLOAT)));
  }

  @Test
  void aWrongNumberOfValuesIsRefused() {
    INDArray a = Nd4j.create(DataType.FLOAT, 4);
    assertThrows(IllegalArgumentException.class, () -> FloatArrays.write(new float[3], a));
  }
}
