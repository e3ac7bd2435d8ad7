package io.sitter.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Aggregates a JFR recording's stack samples into hot frames for scripts/bench/profile (not a test).
 * Prints one JSON object.
 *
 * <p>Both {@code jdk.ExecutionSample} (a thread running Java code) and {@code jdk.NativeMethodSample}
 * (a thread inside a JNI call: JFR sees no native frames, so ND4J's work shows as its JNI entry
 * points, e.g. {@code Nd4jCpu$NativeOps.execCustomOp2}) are counted: on an ND4J workload most
 * task time is native, and counting Java samples alone would hide it. Only threads whose name
 * starts with the given prefix are counted (Spark's task threads are "Executor task launch
 * worker for task ..."), so the driver's idle loops and Spark's RPC threads stay out.
 *
 * <pre>
 *   JfrTop RECORDING.jfr THREAD_PREFIX TOP [STACK_FILTER]
 * </pre>
 *
 * <p>With {@code STACK_FILTER}, only samples with a frame whose {@code Class.method} contains it
 * are counted (e.g. {@code TrainFunctions$FitRound.call}: the training rounds alone, without
 * shard building, evaluation or BatchNorm re-estimation).
 *
 * <ul>
 *   <li>{@code self}: the innermost frame of each sample (where time is spent);
 *   <li>{@code sitter}: the innermost {@code io.sitter} frame of each sample, inclusive of what it
 *       calls (which of our lines the time is attributed to);
 *   <li>{@code inclusive}: every distinct method on a sample's stack, for the call-tree view;
 *       JDK, Scala and Spark frames are left out (they are on every task's stack).
 * </ul>
 */
public final class JfrTop {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JfrTop() {}

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    String threadPrefix = args[1];
    int top = Integer.parseInt(args[2]);
    String stackFilter = args.length > 3 ? args[3] : null;
    Map<String, Long> self = new HashMap<>();
    Map<String, Long> sitter = new HashMap<>();
    Map<String, Long> inclusive = new HashMap<>();
    long javaSamples = 0;
    long nativeSamples = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      String type = e.getEventType().getName();
      boolean java = type.equals("jdk.ExecutionSample");
      if (!java && !type.equals("jdk.NativeMethodSample")) {
        continue;
      }
      String thread = e.getThread("sampledThread") == null ? "" : e.getThread("sampledThread").getJavaName();
      if (thread == null || !thread.startsWith(threadPrefix)) {
        continue;
      }
      RecordedStackTrace st = e.getStackTrace();
      if (st == null || st.getFrames().isEmpty()) {
        continue;
      }
      List<RecordedFrame> frames = st.getFrames();
      if (stackFilter != null && frames.stream().noneMatch(f -> name(f).contains(stackFilter))) {
        continue;
      }
      if (java) {
        javaSamples++;
      } else {
        nativeSamples++;
      }
      self.merge(name(frames.get(0)), 1L, Long::sum);
      for (RecordedFrame f : frames) {
        if (f.getMethod().getType().getName().startsWith("io.sitter.")) {
          sitter.merge(name(f) + ":" + f.getLineNumber(), 1L, Long::sum);
          break;
        }
      }
      Set<String> seen = new HashSet<>();
      for (RecordedFrame f : frames) {
        String n = name(f);
        if (!n.startsWith("java.") && !n.startsWith("jdk.") && !n.startsWith("scala.") && !n.startsWith("org.apache.spark.")
            && seen.add(n)) {
          inclusive.merge(n, 1L, Long::sum);
        }
      }
    }
    long total = javaSamples + nativeSamples;
    ObjectNode o = JSON.createObjectNode();
    o.put("recording", file.toString());
    o.put("thread_prefix", threadPrefix);
    o.put("stack_filter", stackFilter);
    o.put("java_samples", javaSamples);
    o.put("native_samples", nativeSamples);
    o.set("self", topN(self, top, total));
    o.set("sitter", topN(sitter, top, total));
    o.set("inclusive", topN(inclusive, top, total));
    System.out.println(JSON.writeValueAsString(o));
  }

  private static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  private static ArrayNode topN(Map<String, Long> counts, int n, long total) {
    ArrayNode a = JSON.createArrayNode();
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(n)
        .forEach(en -> a.addObject().put("frame", en.getKey()).put("samples", en.getValue())
            .put("share", total == 0 ? 0 : (double) en.getValue() / total));
    return a;
  }
}
