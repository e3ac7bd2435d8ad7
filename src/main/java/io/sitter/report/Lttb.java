package io.sitter.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Largest-Triangle-Three-Buckets downsampling (S. Steinarsson, "Downsampling Time Series for
 * Visual Representation", 2013, section 4.2): keeps the first and last point and, from each of
 * {@code threshold - 2} equal-count buckets between them, the point that makes the largest
 * triangle with the point kept from the previous bucket and the mean of the next bucket. Unlike
 * averaging it keeps spikes (a loss that jumps is what a reader must see), unlike min/max buckets
 * it keeps one point per bucket, so the drawn line stays one line.
 *
 * <p>Written here rather than taken from a library: the Java implementations on Maven Central are
 * single-author projects without releases in years, and the algorithm is 30 lines. ECharts'
 * own {@code sampling: 'lttb'} then thins further to the pixel width while drawing, but only after
 * the page has carried and parsed every point, which is what this step avoids.
 *
 * <p>Points whose y is NaN or infinite are always kept (they mark where training broke and are
 * drawn as gaps) and take no part in the triangles; LTTB runs on the finite points with the
 * remaining budget.
 */
final class Lttb {
  private Lttb() {}

  /**
   * Indices (ascending) of the points to draw. All indices when there are at most {@code
   * threshold} points.
   *
   * @param x ascending x values
   * @param threshold the most points to keep, at least 3
   */
  static int[] select(double[] x, double[] y, int threshold) {
    if (x.length != y.length) {
      throw new IllegalArgumentException("x and y differ in length: " + x.length + " vs " + y.length);
    }
    if (threshold < 3) {
      throw new IllegalArgumentException("threshold must be at least 3, got " + threshold);
    }
    int n = x.length;
    if (n <= threshold) {
      return identity(n);
    }
    List<Integer> nonFinite = new ArrayList<>();
    List<Integer> finite = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      (Double.isFinite(y[i]) ? finite : nonFinite).add(i);
    }
    int budget = Math.max(3, threshold - nonFinite.size());
    int[] kept = finite.size() <= budget ? toArray(finite) : lttb(x, y, toArray(finite), budget);
    int[] all = new int[kept.length + nonFinite.size()];
    System.arraycopy(kept, 0, all, 0, kept.length);
    for (int i = 0; i < nonFinite.size(); i++) {
      all[kept.length + i] = nonFinite.get(i);
    }
    Arrays.sort(all);
    return all;
  }

  /** LTTB over the points {@code idx} (all finite, more than {@code threshold} of them). */
  private static int[] lttb(double[] x, double[] y, int[] idx, int threshold) {
    int n = idx.length;
    int[] out = new int[threshold];
    out[0] = idx[0];
    double every = (double) (n - 2) / (threshold - 2);
    int a = 0;
    for (int bucket = 0; bucket < threshold - 2; bucket++) {
      int nextStart = (int) Math.floor((bucket + 1) * every) + 1;
      int nextEnd = Math.min((int) Math.floor((bucket + 2) * every) + 1, n);
      double meanX = 0;
      double meanY = 0;
      for (int j = nextStart; j < nextEnd; j++) {
        meanX += x[idx[j]];
        meanY += y[idx[j]];
      }
      int count = nextEnd - nextStart;
      meanX /= count;
      meanY /= count;

      int start = (int) Math.floor(bucket * every) + 1;
      int end = (int) Math.floor((bucket + 1) * every) + 1;
      double ax = x[idx[a]];
      double ay = y[idx[a]];
      double best = -1;
      int chosen = start;
      for (int j = start; j < end; j++) {
        double area = Math.abs((ax - meanX) * (y[idx[j]] - ay) - (ax - x[idx[j]]) * (meanY - ay));
        if (area > best) {
          best = area;
          chosen = j;
        }
      }
      out[bucket + 1] = idx[chosen];
      a = chosen;
    }
    out[threshold - 1] = idx[n - 1];
    return out;
  }

  private static int[] identity(int n) {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    return all;
  }

  private static int[] toArray(List<Integer> list) {
    return list.stream().mapToInt(Integer::intValue).toArray();
  }
}
