package io.sitter.shard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.GeneratedPrepData;
import io.sitter.TestSpark;
import io.sitter.config.BadInputException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

class ShardsTest {
  private static final SparkSession SPARK = TestSpark.session();

  @Test
  void everyExampleLandsInExactlyOneShardOfBalancedSizeWhateverTheInputPartitioning(@TempDir Path tmp) throws Exception {
    GeneratedPrepData.Examples e = GeneratedPrepData.blobs(101, 3, 4, 1);
    Path dir = GeneratedPrepData.write(SPARK, tmp, e, null, null);
    Dataset<Row> rows = SPARK.read().schema(io.sitter.data.DataSchema.ROWS).parquet(dir.resolve("train").toString());
    List<ShardData> a = Shards.build(rows.repartition(1), 3, 3, 4, "train").collect();
    List<ShardData> b = Shards.build(rows.repartition(7), 3, 3, 4, "train").collect();
    assertEquals(3, a.size());
    int[] seen = new int[101];
    for (int p = 0; p < 3; p++) {
      ShardData s = a.get(p);
      assertEquals(p, s.partition());
      assertTrue(s.size() == 33 || s.size() == 34, "size " + s.size());
      for (int i = 0; i < s.size(); i++) {
        int index = (int) s.index(i);
        seen[index]++;
        assertEquals(p, index % 3, "rank (here = index) mod P");
        assertEquals(e.labels()[index], s.label(i));
        float[] x = new float[3];
        s.copyFeatures(i, x, 0);
        assertArrayEquals(e.features()[index], x);
        assertEquals(b.get(p).index(i), s.index(i), "same shard content for another input partitioning");
      }
    }
    assertTrue(Arrays.stream(seen).allMatch(c -> c == 1));
  }

  @Test
  void tooFewRowsForThePartitionsIsBadInput(@TempDir Path tmp) throws Exception {
    Path dir = GeneratedPrepData.write(SPARK, tmp, GeneratedPrepData.blobs(3, 2, 2, 1), null, null);
    Dataset<Row> rows = SPARK.read().schema(io.sitter.data.DataSchema.ROWS).parquet(dir.resolve("train").toString());
    BadInputException ex = assertThrows(BadInputException.class, () -> Shards.build(rows, 4, 2, 2, "train"));
    assertTrue(ex.getMessage().contains("--partitions <= 3"), ex.getMessage());
  }

  @Test
  void theShuffleIsAPermutationFixedBySeedEpochAndPartition() {
    int[] p = Minibatches.permutation(42, 3, 1, 50);
    assertArrayEquals(p, Minibatches.permutation(42, 3, 1, 50));
    int[] sorted = p.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < 50; i++) {
      assertEquals(i, sorted[i]);
    }
    assertNotEquals(Arrays.toString(p), Arrays.toString(Minibatches.permutation(42, 4, 1, 50)));
    assertNotEquals(Arrays.toString(p), Arrays.toString(Minibatches.permutation(42, 3, 2, 50)));
    assertNotEquals(Arrays.toString(p), Arrays.toString(Minibatches.permutation(43, 3, 1, 50)));
  }

  @Test
  void minibatchesCarryTheShuffledExamplesWithOneHotLabels() {
    ShardData s = ShardData.of(0, 2, new long[] {10, 11, 12, 13, 14},
        new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, new int[] {0, 1, 2, 0, 1});
    int[] perm = {4, 2, 0, 1, 3};
    assertEquals(3, Minibatches.batchCount(5, 2));
    DataSet last = Minibatches.batch(s, perm, 2, 2, 3);
    assertEquals(1, last.numExamples());
    assertArrayEquals(new float[] {6, 7}, last.getFeatures().data().asFloat());
    assertArrayEquals(new float[] {1, 0, 0}, last.getLabels().data().asFloat());
    DataSet first = Minibatches.batch(s, perm, 0, 2, 3);
    assertArrayEquals(new float[] {8, 9, 4, 5}, first.getFeatures().data().asFloat());
    assertArrayEquals(new float[] {0, 1, 0, 0, 0, 1}, first.getLabels().data().asFloat());
  }
}
