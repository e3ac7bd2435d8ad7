package io.sitter.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitter.cli.SparkSessions;
import io.sitter.config.SitterConfig;
import io.sitter.config.ConfigLoader;
import io.sitter.model.NetworkFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * What a training round costs in Spark alone, without any fitting (scripts/bench/round-floor; not a
 * test): jobs on a cached 2-partition RDD run the way TrainJob runs a round (SparkContext.runJob with
 * a plain function object, no closure to clean), empty, with a broadcast of the default network's
 * parameters and Adam state, with task results of that size, and with both. The difference between
 * a real round and the last figure is the fitting; the figures themselves are what sitter pays Spark
 * per round whatever K is. Prints one JSON object.
 *
 * <pre>RoundFloorBench JOBS</pre>
 */
public final class RoundFloorBench {
  private RoundFloorBench() {}

  /** A task that touches the broadcast and returns a payload-sized result, as FitRoundTask does. */
  static final class Task extends scala.runtime.AbstractFunction2<TaskContext, scala.collection.Iterator<Integer>, float[]>
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final Broadcast<float[]> broadcast;
    private final int resultFloats;

    Task(Broadcast<float[]> broadcast, int resultFloats) {
      this.broadcast = broadcast;
      this.resultFloats = resultFloats;
    }

    @Override
    public float[] apply(TaskContext context, scala.collection.Iterator<Integer> rows) {
      if (broadcast != null && broadcast.value().length == 0) {
        throw new IllegalStateException("empty broadcast");
      }
      return new float[resultFloats];
    }
  }

  public static void main(String[] args) {
    int jobs = Integer.parseInt(args[0]);
    SitterConfig config = ConfigLoader.defaults();
    MultiLayerNetwork net = NetworkFactory.build(config.model(), config.train(), 784, 10, 42);
    int floats = (int) (net.numParams() + net.getUpdater().getStateViewArray().length());
    SparkSession spark = SparkSession.builder()
        .config(SparkSessions.sitterConf(new SparkConf().setMaster("local[2]").setAppName("round-floor"), false)
            .set("spark.ui.enabled", "false"))
        .getOrCreate();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      rows.add(i);
    }
    // Shuffled and cached, as sitter's shards are: every round's job then finds a skipped parent stage.
    JavaRDD<Integer> cached = jsc.parallelize(rows, 2).repartition(2).cache();
    cached.count();
    float[] payload = new float[floats];
    scala.reflect.ClassTag<float[]> tag = scala.reflect.ClassTag$.MODULE$.apply(float[].class);
    ObjectMapper json = new ObjectMapper();
    ObjectNode out = json.createObjectNode();
    out.put("payload_floats", floats);
    out.put("payload_mb", floats * 4 / 1e6);
    out.put("jobs_per_case", jobs);
    out.put("master", spark.sparkContext().master());
    ObjectNode cases = out.putObject("milliseconds_per_job");
    String[] names = {"empty", "broadcast", "results", "broadcast_and_results"};
    for (int pass = 0; pass < 2; pass++) { // the first pass warms up the JIT and Spark's caches
      for (String name : names) {
        boolean broadcast = name.startsWith("broadcast");
        boolean results = name.endsWith("results");
        double[] ms = new double[jobs];
        for (int j = 0; j < jobs; j++) {
          long t0 = System.nanoTime();
          Broadcast<float[]> b = broadcast ? jsc.broadcast(payload) : null;
          spark.sparkContext().runJob(cached.rdd(), new Task(b, results ? floats : 1), tag);
          if (b != null) {
            b.destroy();
          }
          ms[j] = (System.nanoTime() - t0) / 1e6;
        }
        if (pass == 1) {
          Arrays.sort(ms);
          ObjectNode c = cases.putObject(name);
          c.put("median", ms[jobs / 2]);
          c.put("p10", ms[jobs / 10]);
          c.put("p90", ms[jobs * 9 / 10]);
        }
      }
    }
    spark.stop();
    System.out.println(out);
  }
}
