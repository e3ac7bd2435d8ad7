package io.sitter.shard;

import java.util.Arrays;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The minibatches of one shard, as {@link Minibatches#batch} cuts them, written into off-heap arrays
 * that are kept and overwritten from one minibatch to the next (one pair per minibatch size: the
 * full one and the shorter last one). For a task that fits many minibatches in a row: each new
 * off-heap array costs a native allocation, JavaCPP's physical-memory check and a deallocator
 * reference for the GC, which the round's profile showed. Not thread-safe; a returned DataSet is
 * valid until the next call.
 */
public final class MinibatchBuffer {
  private final ShardData shard;
  private final int batchSize;
  private final int numClasses;
  private final float[] x;
  private final float[] y;
  private DataSet full;
  private DataSet last;

  public MinibatchBuffer(ShardData shard, int batchSize, int numClasses) {
    this.shard = shard;
    this.batchSize = batchSize;
    this.numClasses = numClasses;
    int rows = Math.min(batchSize, shard.size());
    this.x = new float[rows * shard.numFeatures()];
    this.y = new float[rows * numClasses];
  }

  /** Minibatch {@code b} of the epoch with this permutation; equal to {@link Minibatches#batch}. */
  public DataSet batch(int[] permutation, int b) {
    int from = b * batchSize;
    int rows = Minibatches.rows(shard, b, batchSize);
    int d = shard.numFeatures();
    Arrays.fill(y, 0, rows * numClasses, 0f);
    for (int r = 0; r < rows; r++) {
      int i = permutation[from + r];
      shard.copyFeatures(i, x, r * d);
      y[r * numClasses + shard.label(i)] = 1f;
    }
    DataSet target = rows == batchSize ? full : last;
    if (target == null || target.numExamples() != rows) {
      target = new DataSet(Nd4j.create(DataType.FLOAT, rows, d), Nd4j.create(DataType.FLOAT, rows, numClasses));
      if (rows == batchSize) {
        full = target;
      } else {
        last = target;
      }
    }
    copy(x, rows * d, target.getFeatures());
    copy(y, rows * numClasses, target.getLabels());
    return target;
  }

  /** One bulk copy into the array's (fresh, c-order, unshared) buffer. */
  private static void copy(float[] src, int n, INDArray dst) {
    Pointer p = dst.data().pointer();
    if (p instanceof FloatPointer fp && dst.length() == n) {
      fp.put(src, 0, n);
    } else {
      dst.assign(Nd4j.create(Arrays.copyOf(src, n), dst.shape(), DataType.FLOAT));
    }
  }
}
