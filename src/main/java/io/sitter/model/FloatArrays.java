package io.sitter.model;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Copies between Java {@code float[]} and ND4J's off-heap FLOAT arrays in one bulk copy.
 *
 * <p>ND4J 1.0.0-M2.1 does both directions one element at a time: {@code Nd4j.createFromArray(float[])}
 * allocates a buffer and fills it through {@code BaseDataBuffer.setData} -> {@code put(i, v)} with
 * an indexer bounds check per element, and {@code DataBuffer.asFloat()} reads back with one
 * {@code getFloat(i)} per element. A round moves the parameters and the Adam state (815k floats for
 * the default network) across that boundary four times on each side; in a JFR profile of K=1
 * training in local[2] the element-wise copies were 45% of a task's time, more than its fit of
 * one minibatch. A direct {@link FloatBuffer} over the array's memory copies them with one
 * intrinsic copy and no allocation.
 *
 * <p>Only whole, contiguous FLOAT arrays take that path (a network's flattened parameters, its
 * updater state view, a freshly created array); anything else (a view with an offset, a strided
 * or 'f'-ordered matrix, another data type) goes through ND4J's own copies, in row-major order.
 */
public final class FloatArrays {
  private FloatArrays() {}

  /** The array's values in row-major order. */
  public static float[] read(INDArray a) {
    FloatBuffer direct = direct(a);
    if (direct == null) {
      return a.dup('c').data().asFloat();
    }
    float[] out = new float[(int) a.length()];
    direct.get(out);
    return out;
  }

  /** Overwrites the array's values with {@code values}, taken in row-major order. */
  public static void write(float[] values, INDArray a) {
    if (values.length != a.length()) {
      throw new IllegalArgumentException(values.length + " values for an array of " + a.length());
    }
    FloatBuffer direct = direct(a);
    if (direct == null) {
      a.assign(Nd4j.createFromArray(values).reshape('c', a.shape()));
      return;
    }
    direct.put(values);
  }

  /** A buffer over exactly the array's elements, in row-major order; null if there is none. */
  static FloatBuffer direct(INDArray a) {
    if (a.dataType() != DataType.FLOAT || a.isView() || a.data().offset() != 0 || a.length() > Integer.MAX_VALUE
        || a.data().length() != a.length() || !(a.ordering() == 'c' || a.isVector() || a.isScalar())) {
      return null;
    }
    FloatBuffer b = a.data().pointer().asByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer();
    if (b.remaining() < a.length()) {
      return null;
    }
    return b.limit((int) a.length());
  }
}
