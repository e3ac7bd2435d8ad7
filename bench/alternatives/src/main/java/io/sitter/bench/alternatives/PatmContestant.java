package io.sitter.bench.alternatives;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitter.config.SitterConfig;
import io.sitter.data.DataSchema;
import io.sitter.model.NetworkFactory;
import io.sitter.prep.PrepData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's own Spark trainer, {@code ParameterAveragingTrainingMaster} (dl4j-spark_2.12:1.0.0-M2),
 * fitting the same network ({@link NetworkFactory}, same seed) on the same training split, one
 * {@code SparkDl4jMultiLayer.fit(rdd)} per epoch. The clock runs around each {@code fit} call, so
 * it holds everything PATM does per epoch (its count, split, repartition, broadcasts, fits and
 * averaging); building the minibatch RDD once and the test evaluation are left out.
 *
 * <p>Settings measured to work with dl4j-spark 1.0.0-M2 on Spark 3.5.9 (its Builder leaves saveUpdater false although its Javadoc says enabled): builder
 * {@code Builder(128).batchSizePerWorker(128).averagingFrequency(K).workerPrefetchNumBatches(0)};
 * {@code RDDTrainingApproach.Direct} (the default, Export, writes every minibatch to a temporary
 * directory first); and a {@code storageLevel} equal to the one the input RDD already has, since
 * PATM persists its input with its own level and Spark refuses to change an RDD's level.
 * {@code saveUpdater}: its Builder leaves it false (every averaging round restarts Adam from zero
 * state) although its Javadoc says enabled; both are measured.
 *
 * <pre>PatmContestant PREP_DIR PARTITIONS EPOCHS K SAVE_UPDATER(true|false)</pre>
 */
public final class PatmContestant {
  private PatmContestant() {}

  public static void main(String[] args) throws Exception {
    Path prep = Path.of(args[0]);
    int partitions = Contestants.intArg(args, 1, "PARTITIONS");
    int epochs = Contestants.intArg(args, 2, "EPOCHS");
    int k = Contestants.intArg(args, 3, "K");
    boolean saveUpdater = Boolean.parseBoolean(args[4]);
    SitterConfig config = Contestants.config(java.util.List.of());
    int b = config.train().minibatchSize();

    SparkSession spark = Contestants.session("patm", true);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    PreparedExamples test = PreparedExamples.read(spark, prep, "test");
    TestAccuracy accuracy = new TestAccuracy(test);
    StorageLevel level = StorageLevel.MEMORY_ONLY();
    PrepData data = PrepData.open(spark, Contestants.hadoop(prep), "--data");
    JavaRDD<DataSet> minibatches = data.split("train").javaRDD()
        .repartition(partitions)
        .mapPartitions(new ToMinibatches(b, Contestants.NUM_CLASSES))
        .persist(level);
    long numMinibatches = minibatches.count();
    long trainSize = data.normalizer().counts().get("train");

    MultiLayerNetwork net = NetworkFactory.build(config.model(), config.train(), test.numFeatures, Contestants.NUM_CLASSES, config.train().seed());
    ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(b)
        .batchSizePerWorker(b)
        .averagingFrequency(k)
        .workerPrefetchNumBatches(0)
        .saveUpdater(saveUpdater)
        .rddTrainingApproach(RDDTrainingApproach.Direct)
        .storageLevel(level)
        .rngSeed(config.train().seed())
        .build();
    SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(jsc, net, tm);

    AccuracyTimeline timeline = new AccuracyTimeline();
    TrainingClock clock = new TrainingClock();
    for (int e = 1; e <= epochs; e++) {
      clock.start();
      sparkNet.fit(minibatches);
      clock.stop();
      timeline.record(e, e * trainSize, clock.seconds(), accuracy.of(sparkNet.getNetwork()));
      System.err.printf("patm K=%d saveUpdater=%s: epoch %d test accuracy %.4f at %.1f s%n",
          k, saveUpdater, e, timeline.finalAccuracy(), clock.seconds());
    }
    // The script also runs PATM with JavaCPP's per-allocation physical-memory check off (no limit at
    // all), as a reference for how much of sitter's lead its own per-minibatch check accounts for.
    boolean unchecked = Pointer.maxPhysicalBytes() == 0;
    ObjectNode o = Contestants.result("dl4j_patm", "K=" + k + (saveUpdater ? ",saveUpdater" : "")
        + (unchecked ? "," + AlternativesSummary.NO_MEMORY_CHECK : ""), prep);
    o.put("javacpp_max_physical_bytes", Pointer.maxPhysicalBytes());
    o.put("master", spark.sparkContext().master());
    o.put("partitions", partitions);
    o.put("cores", partitions);
    o.put("epochs", epochs);
    o.put("averaging_frequency", k);
    o.put("save_updater", saveUpdater);
    o.put("minibatches_per_epoch", numMinibatches);
    o.put("clock", "sum of SparkDl4jMultiLayer.fit(rdd) calls, one per epoch; RDD build and test evaluation excluded");
    timeline.writeTo(o, Contestants.JSON);
    Contestants.print(o);
    spark.stop();
  }

  /** A partition's rows as DataSets of up to {@code batch} examples with one-hot FLOAT labels, built on the executor. */
  static final class ToMinibatches implements FlatMapFunction<Iterator<Row>, DataSet> {
    private final int batch;
    private final int numClasses;

    ToMinibatches(int batch, int numClasses) {
      this.batch = batch;
      this.numClasses = numClasses;
    }

    @Override
    public Iterator<DataSet> call(Iterator<Row> rows) {
      List<DataSet> out = new ArrayList<>();
      List<Row> pending = new ArrayList<>(batch);
      while (rows.hasNext()) {
        pending.add(rows.next());
        if (pending.size() == batch || !rows.hasNext()) {
          out.add(toDataSet(pending));
          pending.clear();
        }
      }
      return out.iterator();
    }

    private DataSet toDataSet(List<Row> rows) {
      int n = rows.size();
      int d = rows.get(0).<Float>getList(rows.get(0).fieldIndex(DataSchema.FEATURES)).size();
      float[] x = new float[n * d];
      float[] y = new float[n * numClasses];
      for (int r = 0; r < n; r++) {
        List<Float> f = rows.get(r).getList(rows.get(r).fieldIndex(DataSchema.FEATURES));
        for (int j = 0; j < d; j++) {
          x[r * d + j] = f.get(j);
        }
        y[r * numClasses + rows.get(r).getInt(rows.get(r).fieldIndex(DataSchema.LABEL))] = 1;
      }
      return new DataSet(Nd4j.create(x, new long[] {n, d}, DataType.FLOAT), Nd4j.create(y, new long[] {n, numClasses}, DataType.FLOAT));
    }
  }
}
