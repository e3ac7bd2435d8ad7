package io.sitter.shard;

import java.io.Serializable;

/** One validated training row on its way to its shard (shuffled once, when shards are built). */
final class Example implements Serializable {
  private static final long serialVersionUID = 1L;

  final long index;
  final float[] features;
  final int label;

  Example(long index, float[] features, int label) {
    this.index = index;
    this.features = features;
    this.label = label;
  }
}
