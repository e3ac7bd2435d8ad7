package io.sitter.search;

import io.sitter.prep.FittedNormalizer;
import io.sitter.prep.PrepData;
import org.apache.hadoop.fs.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code trials} mode: the training and validation splits are broadcast once, and each trial is one
 * Spark task training a local network on the executor's copy ({@link LocalTrial}). The driver
 * gathers the splits through {@code toLocalIterator}, one partition at a time, into flat arrays:
 * this mode exists for data that fits one executor, and the broadcast needs one copy anyway.
 */
final class TrialsModeRunner implements TrialRunner {
  private final JavaSparkContext jsc;
  private final Broadcast<TrialData> data;

  private TrialsModeRunner(JavaSparkContext jsc, Broadcast<TrialData> data) {
    this.jsc = jsc;
    this.data = data;
  }

  static TrialsModeRunner open(SparkSession spark, TrialData data) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    return new TrialsModeRunner(jsc, jsc.broadcast(data));
  }

  /** The train and val splits of a prep directory as flat arrays. */
  static TrialData load(SparkSession spark, Path prepDir) {
    PrepData prep = PrepData.open(spark, prepDir, "--data");
    FittedNormalizer n = prep.normalizer();
    Split train = gather(prep.split("train"), n.numFeatures());
    Split val = gather(prep.split("val"), n.numFeatures());
    return new TrialData(train.x(), train.y(), val.x(), val.y(), n.numFeatures(), n.numClasses());
  }

  /** Bytes a prep directory's train and val splits take as {@link TrialData}, without reading them. */
  static long bytes(SparkSession spark, Path prepDir) {
    PrepData prep = PrepData.open(spark, prepDir, "--data");
    FittedNormalizer n = prep.normalizer();
    long rows = prep.split("train").count() + prep.split("val").count();
    return rows * (n.numFeatures() + 1L) * 4L;
  }

  /**
   * Two rungs of successive halving: every trial's first epoch at once, then the survivors' remaining
   * epochs at once, continuing from the state each returned (a trial is a pure function of its spec,
   * so this equals training straight through).
   */
  @Override
  public void runStage(List<TrialSpec> specs, double haltFactor, double bestFirstEpochLoss, Consumer<Finished> finished) {
    List<TrialSpec> firstEpoch = specs.stream()
        .map(s -> new TrialSpec(s.trial(), s.stage(), s.overrides(), s.baseConfigJson(), 0, 1, s.seed(), null))
        .toList();
    List<TrialOutcome> first = run(firstEpoch);
    double best = bestFirstEpochLoss;
    for (TrialOutcome o : first) {
      if (!o.aborted() && o.valLoss() < best) {
        best = o.valLoss();
      }
    }
    List<TrialSpec> survivors = new ArrayList<>();
    Map<Integer, Double> firstLoss = new HashMap<>();
    for (int k = 0; k < first.size(); k++) {
      TrialOutcome o = first.get(k);
      TrialSpec spec = specs.get(k);
      firstLoss.put(o.trial(), o.valLoss());
      String halt = o.aborted() || spec.epochs() == 1 ? null : TrialRunner.haltReason(o.valLoss(), haltFactor, best);
      if (o.aborted() || spec.epochs() == 1 || halt != null) {
        finished.accept(new Finished(o, o.valLoss(), o.aborted() ? o.reason() : halt));
      } else {
        survivors.add(new TrialSpec(o.trial(), spec.stage(), spec.overrides(), spec.baseConfigJson(), 1, spec.epochs() - 1,
            spec.seed(), o.state()));
      }
    }
    for (TrialOutcome o : run(survivors)) {
      finished.accept(new Finished(o, firstLoss.get(o.trial()), o.reason()));
    }
  }

  private List<TrialOutcome> run(List<TrialSpec> specs) {
    if (specs.isEmpty()) {
      return List.of();
    }
    // One partition per trial: each is a task, and the scheduler balances trials of unequal length.
    return jsc.parallelize(specs, specs.size()).map(new RunTrial(data)).collect();
  }

  @Override
  public void close() {
    data.destroy();
  }

  /** Executor side: one trial on the broadcast copy of the data. */
  static final class RunTrial implements Function<TrialSpec, TrialOutcome> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<TrialData> data;

    RunTrial(Broadcast<TrialData> data) {
      this.data = data;
    }

    @Override
    public TrialOutcome call(TrialSpec spec) {
      return LocalTrial.run(spec, data.value());
    }
  }

  private record Split(float[] x, int[] y) {}

  /** A split's features (flat, row-major) and labels, in index order. */
  private static Split gather(Dataset<Row> split, int numFeatures) {
    Dataset<Row> ordered = split.select("index", "features", "label").orderBy("index");
    long count = ordered.count();
    if (count * numFeatures > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("trials mode holds a split in one array; " + count + " x " + numFeatures
          + " values is too many: use --mode data");
    }
    float[] x = new float[Math.toIntExact(count * numFeatures)];
    int[] y = new int[Math.toIntExact(count)];
    Iterator<Row> it = ordered.toLocalIterator();
    int i = 0;
    while (it.hasNext()) {
      Row r = it.next();
      List<Float> f = r.getList(1);
      for (int j = 0; j < numFeatures; j++) {
        x[i * numFeatures + j] = f.get(j);
      }
      y[i++] = r.getInt(2);
    }
    return new Split(x, y);
  }
}
