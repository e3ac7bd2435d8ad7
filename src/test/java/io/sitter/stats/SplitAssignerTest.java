package io.sitter.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SplitAssignerTest {
  @Test
  void unstratifiedFractionsAreMetOnLargeCounts() {
    SplitAssigner a = new SplitAssigner(0.7, 0.2, 0.1, 42);
    int[] n = new int[3];
    for (long i = 0; i < 100_000; i++) {
      n[a.assign(i)]++;
    }
    // Binomial sd for 100k rows at p = 0.1 is about 95 rows: 5 sd bounds.
    assertEquals(70_000, n[0], 750);
    assertEquals(20_000, n[1], 650);
    assertEquals(10_000, n[2], 480);
  }

  @Test
  void rankedAssignmentCutsEachClassAtItsShare() {
    SplitAssigner a = new SplitAssigner(0.8, 0.1, 0.1, 1);
    int[] n = new int[3];
    for (long rank = 0; rank < 37; rank++) {
      n[a.assignRanked(rank, 37)]++;
    }
    assertEquals(30, n[0]); // round(29.6)
    assertEquals(4, n[1]); // round(3.7)
    assertEquals(3, n[2]);
    SplitAssigner noTest = new SplitAssigner(0.9, 0.1, 0.0, 1);
    int[] m = new int[3];
    for (long rank = 0; rank < 15; rank++) {
      m[noTest.assignRanked(rank, 15)]++;
    }
    assertEquals(14, m[0]); // round(13.5)
    assertEquals(1, m[1]);
    assertEquals(0, m[2]);
  }

  @Test
  void hashDependsOnIndexAndSeedOnly() {
    assertEquals(SplitAssigner.hash(12345, 7), SplitAssigner.hash(12345, 7));
    assertNotEquals(SplitAssigner.hash(12345, 7), SplitAssigner.hash(12345, 8));
    assertNotEquals(SplitAssigner.hash(12345, 7), SplitAssigner.hash(12346, 7));
    double u = SplitAssigner.unit(99, 3);
    assertEquals(true, u >= 0 && u < 1);
  }

  @Test
  void rejectsBadFractions() {
    assertThrows(IllegalArgumentException.class, () -> new SplitAssigner(0.5, 0.2, 0.2, 1));
    assertThrows(IllegalArgumentException.class, () -> new SplitAssigner(0, 0.5, 0.5, 1));
    assertThrows(IllegalArgumentException.class, () -> new SplitAssigner(1.2, -0.2, 0, 1));
  }
}
