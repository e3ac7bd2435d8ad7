package io.sitter.bench.alternatives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class AccuracyTimelineTest {
  @Test
  void timeToAccuracyIsTheClockAtTheFirstPointReachingIt() {
    AccuracyTimeline t = new AccuracyTimeline();
    t.record(1, 100, 2.0, 0.84);
    t.record(2, 200, 4.5, 0.86);
    t.record(3, 300, 7.0, 0.85);
    t.record(4, 400, 9.0, 0.879);
    assertEquals(4.5, t.secondsTo(0.85));
    assertNull(t.secondsTo(0.88));
    assertEquals(0.879, t.finalAccuracy());
    assertEquals(0.879, t.bestAccuracy());
    ObjectNode o = Contestants.JSON.createObjectNode();
    t.writeTo(o, Contestants.JSON);
    assertEquals(400 / 9.0, o.get("samples_per_second").asDouble(), 1e-12);
    assertEquals(4.5, o.get("seconds_to_0.85").asDouble());
    assertEquals(true, o.get("seconds_to_0.88").isNull());
    assertEquals(4, o.get("timeline").size());
  }

  @Test
  void theClockCannotGoBackwards() {
    AccuracyTimeline t = new AccuracyTimeline();
    t.record(1, 100, 2.0, 0.5);
    assertThrows(IllegalArgumentException.class, () -> t.record(2, 200, 1.0, 0.6));
  }
}
