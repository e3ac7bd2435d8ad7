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
   * ({@code data()==null}, measured).
   */
  static SparkSession session(String name, boolean javaSerializer) {
    SparkConf base = new SparkConf().set("spark.ui.enabled", "false"); // the UI's threads would compete for the 2 cores
    if (javaSerializer) {
      base.set("spark.serializer", "org.apache.spark.serializer.JavaSerializer");
    }
    SparkConf conf = SparkSessions.sitterConf(base, false).setAppName("bench " + name);
    return SparkSession.builder().config(conf).getOrCreate();
  }

  /**
   * sitter's configuration with {@code sets} applied, and {@code train.seed} from
   * {@code -Dbench.seed} when given: the script repeats every contestant with more than one seed
   * (network initialization and shuffles), so no figure rests on one lucky draw.
   */
  static io.sitter.config.SitterConfig config(java.util.List<String> sets) {
    java.util.List<String> all = new java.util.ArrayList<>(sets);
    String seed = System.getProperty("bench.seed");
    if (seed != null) {
      all.add("train.seed=" + Long.parseLong(seed));
    }
    return io.sitter.config.ConfigLoader.load(io.sitter.storage.Storage.local(), java.util.List.of(), all);
  }

  /** The fields every contestant's result line starts with. */
  static ObjectNode result(String contestant, String variant, Path prepDir) {
    ObjectNode o = JSON.createObjectNode();
    o.put("contestant", contestant);
    o.put("variant", variant);
    o.put("data", prepDir.toString());
    o.put("omp_num_threads", System.getenv("OMP_NUM_THREADS"));
    o.put("openblas_num_threads", System.getenv("OPENBLAS_NUM_THREADS"));
    // JavaCPP's per-allocation check of the resident size: 0 = off (as sitter runs), else its limit.
    o.put("javacpp_max_physical_bytes", org.bytedeco.javacpp.Pointer.maxPhysicalBytes());
    o.put("seed", config(java.util.List.of()).train().seed());
    return o;
  }

  /** The result line on stdout (the script collects it); everything else goes to stderr. */
  static void print(ObjectNode o) throws Exception {
    System.out.println(JSON.writeValueAsString(o));
    System.out.flush();
  }

  /**
   * The classifier directory ND4J's native library was loaded from (e.g. {@code linux-x86_64-avx2}):
   * JavaCPP picks among the nd4j-native jars on the classpath at load time, so the result line says
   * what actually ran.
   */
  static String nd4jBinary() {
    org.nd4j.linalg.factory.Nd4j.create(1); // makes sure the backend is loaded
    return org.bytedeco.javacpp.Loader.getLoadedLibraries().values().stream()
        .filter(p -> p != null && p.contains("libnd4jcpu"))
        .map(p -> Path.of(p).getParent().getFileName().toString())
        .findFirst().orElse("unknown");
  }

  static int intArg(String[] args, int i, String name) {
    try {
      return Integer.parseInt(args[i]);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("argument " + (i + 1) + " (" + name + ") must be an integer", e);
    }
  }

  /** A local path as the Hadoop path sitter's API takes (file:// URI). */
  static org.apache.hadoop.fs.Path hadoop(Path local) {
    return new org.apache.hadoop.fs.Path(local.toAbsolutePath().toUri());
  }
}
