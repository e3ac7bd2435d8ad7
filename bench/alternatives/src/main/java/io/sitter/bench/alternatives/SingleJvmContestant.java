package io.sitter.bench.alternatives;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitter.config.SitterConfig;
import io.sitter.model.NetworkFactory;
import java.nio.file.Path;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A plain single-JVM DL4J fit of the default network on the whole training split: per epoch a
 * fresh shuffle, minibatches of {@code train.minibatchSize}. Native threads come from the
 * environment (OMP_NUM_THREADS / OPENBLAS_NUM_THREADS, set by the script). The clock runs only
 * around {@code net.fit(minibatch)}: building minibatches and evaluating are left out, which
 * favours this contestant (sitter's clock includes its broadcast, merge and shuffles).
 *
 * <pre>SingleJvmContestant PREP_DIR EPOCHS</pre>
 */
public final class SingleJvmContestant {
  private SingleJvmContestant() {}

  public static void main(String[] args) throws Exception {
    Path prep = Path.of(args[0]);
    int epochs = Contestants.intArg(args, 1, "EPOCHS");
    SparkSession spark = Contestants.session("single read", false);
    PreparedExamples train = PreparedExamples.read(spark, prep, "train");
    PreparedExamples test = PreparedExamples.read(spark, prep, "test");
    spark.stop();

    SitterConfig config = Contestants.config(java.util.List.of());
    int b = config.train().minibatchSize();
    long seed = config.train().seed();
    MultiLayerNetwork net = NetworkFactory.build(config.model(), config.train(), train.numFeatures, Contestants.NUM_CLASSES, seed);
    TestAccuracy accuracy = new TestAccuracy(test);
    AccuracyTimeline timeline = new AccuracyTimeline();
    TrainingClock clock = new TrainingClock();
    int[] order = new int[train.size];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Random random = new Random(seed);
    long examples = 0;
    for (int e = 1; e <= epochs; e++) {
      shuffle(order, random);
      for (int from = 0; from < order.length; from += b) {
        int n = Math.min(b, order.length - from);
        DataSet batch = train.batch(order, from, n, Contestants.NUM_CLASSES);
        clock.start();
        net.fit(batch);
        clock.stop();
        examples += n;
      }
      timeline.record(e, examples, clock.seconds(), accuracy.of(net));
      System.err.printf("single: epoch %d test accuracy %.4f at %.1f s%n", e, timeline.finalAccuracy(), clock.seconds());
    }
    ObjectNode o = Contestants.result("single_jvm", "threads=" + System.getenv("OMP_NUM_THREADS")
        + (org.bytedeco.javacpp.Pointer.maxPhysicalBytes() == 0 ? ",memoryCheck=off" : "")
        + System.getProperty("bench.variantSuffix", ""), prep);
    o.put("epochs", epochs);
    o.put("minibatch_size", b);
    o.put("clock", "sum of net.fit(minibatch) calls; minibatch building and evaluation excluded");
    timeline.writeTo(o, Contestants.JSON);
    Contestants.print(o);
  }

  private static void shuffle(int[] a, Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
