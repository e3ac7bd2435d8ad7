package io.sitter.bench.alternatives;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitter.cli.SparkSessions;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** What the contestant drivers share: their Spark session, the JSON they print, argument parsing. */
final class Contestants {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int NUM_CLASSES = 10;

  private Contestants() {}

  /**
   * A local session with sitter's settings (one native thread per task, 127.0.0.1 binding);
   * {@code javaSerializer} for contestants that ship ND4J arrays through Spark themselves: INDArrays
   * under Kryo without ND4J's registrator (which exists only at M2) arrive with no data
   * (shared/STACK.md, "DL4J facts").
   */
  static SparkSession session(String name, boolean javaSerializer) {
    SparkConf base = new SparkConf().set("spark.ui.enabled", "false"); // the UI's threads would compete for the 2 cores
    if (javaSerializer) {
      base.set("spark.serializer", "org.apache.spark.serializer.JavaSerializer");
    }
    SparkConf conf = SparkSessions.sitterConf(base, false).setAppName("bench " + name);
    return SparkSession.builder().config(conf).getOrCreate();
  }

  /** The fields every contestant's result line starts with. */
  static ObjectNode result(String contestant, String variant, Path prepDir) {
    ObjectNode o = JSON.createObjectNode();
    o.put("contestant", contestant);
    o.put("variant", variant);
    o.put("data", prepDir.toString());
    o.put("omp_num_threads", System.getenv("OMP_NUM_THREADS"));
    o.put("openblas_num_threads", System.getenv("OPENBLAS_NUM_THREADS"));
    return o;
  }

  /** The result line on stdout (the script collects it); everything else goes to stderr. */
  static void print(ObjectNode o) throws Exception {
    System.out.println(JSON.writeValueAsString(o));
    System.out.flush();
  }

  static int intArg(String[] args, int i, String name) {
    try {
      return Integer.parseInt(args[i]);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("argument " + (i + 1) + " (" + name + ") must be an integer", e);
    }
  }
}
