package io.sitter.ml;

import io.sitter.babysit.BabysitListener;
import io.sitter.babysit.Babysitters;
import io.sitter.config.BadInputException;
import io.sitter.config.SitterConfig;
import io.sitter.config.TrainingAbortedException;
import io.sitter.metrics.ChecksReport;
import io.sitter.metrics.DiagnosisItem;
import io.sitter.model.NetworkPayload;
import io.sitter.prep.NormalizationMode;
import io.sitter.prep.PrepJob;
import io.sitter.prep.PrepOptions;
import io.sitter.prep.PrepResult;
import io.sitter.report.ReportJob;
import io.sitter.storage.RunDirectory;
import io.sitter.storage.Storage;
import io.sitter.train.TrainJob;
import io.sitter.train.TrainRequest;
import io.sitter.train.TrainResult;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * sitter's training as a Spark ML {@code Estimator}: fits a batch-normalized MLP on a DataFrame's
 * {@code featuresCol} (ML vectors, e.g. from {@code VectorAssembler}, or arrays of float or double) and {@code labelCol} (class
 * indices 0..C-1, e.g. from {@code StringIndexer}), babysat, and returns a {@link
 * SitterClassificationModel}. A {@code ProbabilisticClassifier}, so it takes Spark's default column
 * names and works in a {@code Pipeline}, with {@code CrossValidator}/{@code TrainValidationSplit}
 * and with {@code MulticlassClassificationEvaluator}.
 *
 * <p>Params: every key of {@code conf/default.yaml} under its last name ({@code learningRate},
 * {@code hiddenLayers}, {@code epochs}, ..., and the babysitter's thresholds such as {@code
 * abortLossFactor}, reached by {@code getParam(name)} and {@link #setBabysit}), with the defaults of
 * that file and the checks of the config records; plus {@code normalization}, {@code
 * validationFraction}, {@code numPartitions}, {@code runDir}, {@code overwriteRunDir}, {@code
 * preflightChecks} and {@code verbose}.
 *
 * <p>{@code fit} runs exactly what {@code sitter train --input ... --split 1-v,v,0 --seed S --mode M
 * --partitions P} runs: the same prep ({@link PrepJob}: stratified split with {@code seed},
 * normalization fitted on the training rows only), the same babysitter and the same trainer ({@link
 * TrainJob}), so the same rows, seed and partitions give the same parameters. The run directory is
 * {@code runDir} when set (metrics, checks.json, report.html, model.zip, as {@code sitter train}
 * writes them; any Hadoop path), otherwise a temporary directory under {@code /tmp} of the default
 * Hadoop file system (so executors can read the prepared rows), deleted after the fit. When the
 * babysitter aborts, {@code fit} throws {@link SitterTrainingAbortedException} with the diagnosis.
 */
public class SitterClassifier extends ProbabilisticClassifier<Vector, SitterClassifier, SitterClassificationModel>
    implements MLWritable {
  private static final long serialVersionUID = 1L;
  static final String PREFIX = "sitterClassifier";

  /** Lazy (see {@link Uids}): assigned during the superclass constructor. No initializer on purpose. */
  private String uid;
  private Map<String, Param<?>> config;
  private Param<String> normalization;
  private DoubleParam validationFraction;
  private IntParam numPartitions;
  private Param<String> runDir;
  private BooleanParam overwriteRunDir;
  private BooleanParam preflightChecks;
  private BooleanParam verbose;
  private transient Param<?>[] allParams;

  public SitterClassifier() {
    this(Uids.random(PREFIX));
  }

  public SitterClassifier(String uid) {
    this(Uids.offer(uid), true);
  }

  private SitterClassifier(String uid, boolean handedOver) {
    super();
    uid();
    config = ConfigParams.create(this);
    normalization = new Param<>(this, "normalization",
        "how features are normalized, with statistics of the training rows only: none, center or standardize (sitter prep --mode)",
        ParamValidators.inArray(List.of("none", "center", "standardize")));
    validationFraction = new DoubleParam(this, "validationFraction",
        "share of the rows held out (stratified) for validation: the babysitter's overfitting and chance checks use them; 0 = none",
        ParamValidators.inRange(0.0, 1.0, true, false));
    numPartitions = new IntParam(this, "numPartitions",
        "shards of the training rows and tasks per round (P); 0 = Spark's default parallelism", ParamValidators.gtEq(0));
    runDir = new Param<>(this, "runDir",
        "run directory (any Hadoop path) for metrics, checks.json, report.html and model.zip; empty = a temporary one, deleted after fit");
    overwriteRunDir = new BooleanParam(this, "overwriteRunDir", "replace runDir if it holds a sitter run");
    preflightChecks = new BooleanParam(this, "preflightChecks", "run the babysitter's checks before training (the monitors always run)");
    verbose = new BooleanParam(this, "verbose", "print progress, checks and the diagnosis to standard output");
    // sitter prep's default mode and val share (--mode standardize, --split 0.8,0.1,0.1).
    setDefault(normalization, NormalizationMode.STANDARDIZE.cliName());
    setDefault(validationFraction, 0.1);
    setDefault(numPartitions, 0);
    setDefault(runDir, "");
    setDefault(overwriteRunDir, false);
    setDefault(preflightChecks, true);
    setDefault(verbose, false);
  }

  @Override
  public String uid() {
    if (uid == null) {
      uid = Uids.take(PREFIX);
    }
    return uid;
  }

  /**
   * Spark finds params through public methods returning them; the babysitter's thresholds have no
   * method each, so they are added here.
   */
  @Override
  public Param<?>[] params() {
    if (allParams == null) {
      Map<String, Param<?>> byName = new TreeMap<>();
      for (Param<?> p : super.params()) {
        byName.put(p.name(), p);
      }
      byName.putAll(config);
      allParams = byName.values().toArray(new Param<?>[0]);
    }
    return allParams;
  }

  private boolean flag(BooleanParam p) {
    return (Boolean) getOrDefault(p);
  }

  Param<?> configParam(String name) {
    return config.get(name);
  }

  /** Sets a configuration key by its name, e.g. a babysitter threshold: {@code setBabysit("abortLossFactor", 5.0)}. */
  public SitterClassifier setBabysit(String name, Object value) {
    Param<?> p = config.get(name);
    if (p == null) {
      throw new IllegalArgumentException("no sitter configuration key named " + name + "; known: " + String.join(", ", config.keySet()));
    }
    return (SitterClassifier) set(name, value);
  }

  /** The effective configuration, as {@code sitter train} would use it ({@code RUN/config.json}). */
  public SitterConfig sitterConfig() {
    return ConfigParams.config(this, config);
  }

  /** model.hiddenLayers (conf/default.yaml). */
  @SuppressWarnings("unchecked")
  public IntArrayParam hiddenLayers() {
    return (IntArrayParam) configParam("hiddenLayers");
  }

  public int[] getHiddenLayers() {
    return (int[]) getOrDefault(hiddenLayers());
  }

  public SitterClassifier setHiddenLayers(int[] value) {
    return (SitterClassifier) set(hiddenLayers(), value);
  }

  /** model.batchNorm (conf/default.yaml). */
  @SuppressWarnings("unchecked")
  public BooleanParam batchNorm() {
    return (BooleanParam) configParam("batchNorm");
  }

  public boolean getBatchNorm() {
    return (Boolean) getOrDefault(batchNorm());
  }

  public SitterClassifier setBatchNorm(boolean value) {
    return (SitterClassifier) set(batchNorm(), value);
  }

  /** model.activation (conf/default.yaml). */
  @SuppressWarnings("unchecked")
  public Param<String> activation() {
    return (Param<String>) configParam("activation");
  }

  public String getActivation() {
    return (String) getOrDefault(activation());
  }

  public SitterClassifier setActivation(String value) {
    return (SitterClassifier) set(activation(), value);
  }

  /** model.weightInit (conf/default.yaml). */
  @SuppressWarnings("unchecked")
  public Param<String> weightInit() {
    return (Param<String>) configParam("weightInit");
  }

  public String getWeightInit() {
    return (String) getOrDefault(weightInit());
  }

  public SitterClassifier setWeightInit(String value) {
    return (SitterClassifier) set(weightInit(), value);
  }

  /** model.biasInit (conf/default.yaml). */
  @SuppressWarnings("unchecked")
  public DoubleParam biasInit() {
    return (DoubleParam) configParam("biasInit");
  }

  public double getBiasInit() {
    return (Double) getOrDefault(biasInit());
  }

  public SitterClassifier setBiasInit(double value) {
    return (SitterClassifier) set(biasInit(), value);
  }

  /** model.l2 (conf/default.yaml). */
  @SuppressWarnings("unchecked")
  public DoubleParam l2() {
    return (DoubleParam) configParam("l2");
  }

  public double getL2() {
    return (Double) getOrDefault(l2());
  }

  public SitterClassifier setL2(double value) {
    return (SitterClassifier) set(l2(), value);
  }

  /** model.dropout (conf/default.yaml). */
  @SuppressWarnings("unchecked")
  public DoubleParam dropout() {
    return (DoubleParam) configParam("dropout");
  }

  public double getDropout() {
    return (Double) getOrDefault(dropout());
  }

  public SitterClassifier setDropout(double value) {
    return (SitterClassifier) set(dropout(), value);
  }

  /** train.updater (conf/default.yaml). */
  @SuppressWarnings("unchecked")
  public Param<String> updater() {
    return (Param<String>) configParam("updater");
  }

  public String getUpdater() {
    return (String) getOrDefault(updater());
  }

  public SitterClassifier setUpdater(String value) {
    return (SitterClassifier) set(updater(), value);
  }

  /** train.learningRate (conf/default.yaml). */
  @SuppressWarnings("unchecked")
  public DoubleParam learningRate() {
    return (DoubleParam) configParam("learningRate");
  }

  public double getLearningRate() {
    return (Double) getOrDefault(learningRate());
  }

  public SitterClassifier setLearningRate(double value) {
    return (SitterClassifier) set(learningRate(), value);
  }

  /** train.momentum (conf/default.yaml). */
  @SuppressWarnings("unchecked")
  public DoubleParam momentum() {
    return (DoubleParam) configParam("momentum");
  }

  public double getMomentum() {
    return (Double) getOrDefault(momentum());
  }

  public SitterClassifier setMomentum(double value) {
    return (SitterClassifier) set(momentum(), value);
  }

  /** train.lrDecay (conf/default.yaml). */
  @SuppressWarnings("unchecked")
  public Param<String> lrDecay() {
    return (Param<String>) configParam("lrDecay");
  }

  public String getLrDecay() {
    return (String) getOrDefault(lrDecay());
  }

  public SitterClassifier setLrDecay(String value) {
    return (SitterClassifier) set(lrDecay(), value);
  }

  /** train.lrDecayRate (conf/default.yaml). */
  @SuppressWarnings("unchecked")
  public DoubleParam lrDecayRate() {
    return (DoubleParam) configParam("lrDecayRate");
  }

  public double getLrDecayRate() {
    return (Double) getOrDefault(lrDecayRate());
  }

  public SitterClassifier setLrDecayRate(double value) {
    return (SitterClassifier) set(lrDecayRate(), value);
  }

  /** train.lrDecaySteps (conf/default.yaml). */
  @SuppressWarnings("unchecked")
  public IntParam lrDecaySteps() {
    return (IntParam) configParam("lrDecaySteps");
  }

  public int getLrDecaySteps() {
    return (Integer) getOrDefault(lrDecaySteps());
  }

  public SitterClassifier setLrDecaySteps(int value) {
    return (SitterClassifier) set(lrDecaySteps(), value);
  }

  /** train.warmupIterations (conf/default.yaml). */
  @SuppressWarnings("unchecked")
  public IntParam warmupIterations() {
    return (IntParam) configParam("warmupIterations");
  }

  public int getWarmupIterations() {
    return (Integer) getOrDefault(warmupIterations());
  }

  public SitterClassifier setWarmupIterations(int value) {
    return (SitterClassifier) set(warmupIterations(), value);
  }

  /** train.epochs (conf/default.yaml). */
  @SuppressWarnings("unchecked")
  public IntParam epochs() {
    return (IntParam) configParam("epochs");
  }

  public int getEpochs() {
    return (Integer) getOrDefault(epochs());
  }

  public SitterClassifier setEpochs(int value) {
    return (SitterClassifier) set(epochs(), value);
  }

  /** train.minibatchSize (conf/default.yaml). */
  @SuppressWarnings("unchecked")
  public IntParam minibatchSize() {
    return (IntParam) configParam("minibatchSize");
  }

  public int getMinibatchSize() {
    return (Integer) getOrDefault(minibatchSize());
  }

  public SitterClassifier setMinibatchSize(int value) {
    return (SitterClassifier) set(minibatchSize(), value);
  }

  /** train.averagingFrequency (conf/default.yaml). */
  @SuppressWarnings("unchecked")
  public IntParam averagingFrequency() {
    return (IntParam) configParam("averagingFrequency");
  }

  public int getAveragingFrequency() {
    return (Integer) getOrDefault(averagingFrequency());
  }

  public SitterClassifier setAveragingFrequency(int value) {
    return (SitterClassifier) set(averagingFrequency(), value);
  }

  /** train.targetRoundSeconds (conf/default.yaml). */
  @SuppressWarnings("unchecked")
  public DoubleParam targetRoundSeconds() {
    return (DoubleParam) configParam("targetRoundSeconds");
  }

  public double getTargetRoundSeconds() {
    return (Double) getOrDefault(targetRoundSeconds());
  }

  public SitterClassifier setTargetRoundSeconds(double value) {
    return (SitterClassifier) set(targetRoundSeconds(), value);
  }

  /** train.averageUpdaterState (conf/default.yaml). */
  @SuppressWarnings("unchecked")
  public BooleanParam averageUpdaterState() {
    return (BooleanParam) configParam("averageUpdaterState");
  }

  public boolean getAverageUpdaterState() {
    return (Boolean) getOrDefault(averageUpdaterState());
  }

  public SitterClassifier setAverageUpdaterState(boolean value) {
    return (SitterClassifier) set(averageUpdaterState(), value);
  }

  /** train.blockMomentum (conf/default.yaml). */
  @SuppressWarnings("unchecked")
  public DoubleParam blockMomentum() {
    return (DoubleParam) configParam("blockMomentum");
  }

  public double getBlockMomentum() {
    return (Double) getOrDefault(blockMomentum());
  }

  public SitterClassifier setBlockMomentum(double value) {
    return (SitterClassifier) set(blockMomentum(), value);
  }

  /** train.blockLearningRate (conf/default.yaml). */
  @SuppressWarnings("unchecked")
  public DoubleParam blockLearningRate() {
    return (DoubleParam) configParam("blockLearningRate");
  }

  public double getBlockLearningRate() {
    return (Double) getOrDefault(blockLearningRate());
  }

  public SitterClassifier setBlockLearningRate(double value) {
    return (SitterClassifier) set(blockLearningRate(), value);
  }

  /** train.blockNesterov (conf/default.yaml). */
  @SuppressWarnings("unchecked")
  public BooleanParam blockNesterov() {
    return (BooleanParam) configParam("blockNesterov");
  }

  public boolean getBlockNesterov() {
    return (Boolean) getOrDefault(blockNesterov());
  }

  public SitterClassifier setBlockNesterov(boolean value) {
    return (SitterClassifier) set(blockNesterov(), value);
  }

  /** train.reestimateBatchNorm (conf/default.yaml). */
  @SuppressWarnings("unchecked")
  public BooleanParam reestimateBatchNorm() {
    return (BooleanParam) configParam("reestimateBatchNorm");
  }

  public boolean getReestimateBatchNorm() {
    return (Boolean) getOrDefault(reestimateBatchNorm());
  }

  public SitterClassifier setReestimateBatchNorm(boolean value) {
    return (SitterClassifier) set(reestimateBatchNorm(), value);
  }

  /** train.checkpointEveryEpochs (conf/default.yaml). */
  @SuppressWarnings("unchecked")
  public IntParam checkpointEveryEpochs() {
    return (IntParam) configParam("checkpointEveryEpochs");
  }

  public int getCheckpointEveryEpochs() {
    return (Integer) getOrDefault(checkpointEveryEpochs());
  }

  public SitterClassifier setCheckpointEveryEpochs(int value) {
    return (SitterClassifier) set(checkpointEveryEpochs(), value);
  }

  /** train.seed (conf/default.yaml). */
  @SuppressWarnings("unchecked")
  public LongParam seed() {
    return (LongParam) configParam("seed");
  }

  public long getSeed() {
    return (Long) getOrDefault(seed());
  }

  public SitterClassifier setSeed(long value) {
    return (SitterClassifier) set(seed(), value);
  }

  public Param<String> normalization() {
    return normalization;
  }

  public String getNormalization() {
    return getOrDefault(normalization);
  }

  /** {@code none}, {@code center} or {@code standardize}: fitted on the training rows only and kept in the model. */
  public SitterClassifier setNormalization(String value) {
    return (SitterClassifier) set(normalization, value);
  }

  public DoubleParam validationFraction() {
    return validationFraction;
  }

  public double getValidationFraction() {
    return (Double) getOrDefault(validationFraction);
  }

  public SitterClassifier setValidationFraction(double value) {
    return (SitterClassifier) set(validationFraction, value);
  }

  public IntParam numPartitions() {
    return numPartitions;
  }

  public int getNumPartitions() {
    return (Integer) getOrDefault(numPartitions);
  }

  public SitterClassifier setNumPartitions(int value) {
    return (SitterClassifier) set(numPartitions, value);
  }

  public Param<String> runDir() {
    return runDir;
  }

  public String getRunDir() {
    return getOrDefault(runDir);
  }

  public SitterClassifier setRunDir(String value) {
    return (SitterClassifier) set(runDir, value);
  }

  public BooleanParam overwriteRunDir() {
    return overwriteRunDir;
  }

  public SitterClassifier setOverwriteRunDir(boolean value) {
    return (SitterClassifier) set(overwriteRunDir, value);
  }

  public BooleanParam preflightChecks() {
    return preflightChecks;
  }

  public SitterClassifier setPreflightChecks(boolean value) {
    return (SitterClassifier) set(preflightChecks, value);
  }

  public BooleanParam verbose() {
    return verbose;
  }

  public SitterClassifier setVerbose(boolean value) {
    return (SitterClassifier) set(verbose, value);
  }

  /** As Spark's estimators: the columns exist and have the right types, before anything runs. */
  @Override
  public StructType transformSchema(StructType schema) {
    TrainingRows.checkSchema(schema, getFeaturesCol(), getLabelCol());
    return TrainingRows.withInputTypes(schema, super.transformSchema(TrainingRows.vectorTyped(schema, getFeaturesCol())));
  }

  @Override
  public SitterClassificationModel train(Dataset<?> dataset) {
    SitterConfig sitterConfig = sitterConfig(); // bad combinations fail before any job runs
    SparkSession spark = dataset.sparkSession();
    Storage storage = Storage.of(spark.sparkContext().hadoopConfiguration());
    boolean temporary = getRunDir().isEmpty();
    Path run = temporary ? temporaryRun(storage) : storage.resolve("runDir", getRunDir());
    RunDirectory dir = RunDirectory.at(storage, run);
    int partitions = getNumPartitions() > 0 ? getNumPartitions() : spark.sparkContext().defaultParallelism();
    PrintWriter console = new PrintWriter(flag(verbose) ? new NonClosing(System.out) : OutputStream.nullOutputStream(), true);
    try {
      dir.checkNew("runDir", flag(overwriteRunDir)); // before any job
    } catch (BadInputException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    try (TrainingRows.Checked rows = TrainingRows.of(dataset, getFeaturesCol(), getLabelCol())) {
      dir.prepareNew("runDir", flag(overwriteRunDir));
      Path prepDir = dir.file(RunDirectory.PREP);
      double v = getValidationFraction();
      PrepResult prepared = PrepJob.run(spark, rows.data(),
          new PrepJob.Origin("DataFrame (" + uid() + ")", "dataframe", getLabelCol()),
          new PrepOptions(null, List.of(1 - v, v, 0.0), sitterConfig.train().seed(), true,
              NormalizationMode.parse(getNormalization()), 1.0, prepDir, false));
      rows.close();
      BabysitListener babysitter = Babysitters.forNewRun(spark, sitterConfig, prepDir, !flag(preflightChecks), console);
      TrainResult result;
      try {
        result = TrainJob.run(spark, new TrainRequest(prepDir, run, sitterConfig, partitions, TrainRequest.OutputMode.NEW,
            List.of(babysitter), Map.of("api", SitterClassifier.class.getName()), console));
      } catch (TrainingAbortedException e) {
        throw aborted(e, dir, storage, temporary);
      }
      if (!temporary) {
        ReportJob.write(storage, run);
      }
      return new SitterClassificationModel(Uids.random(SitterClassificationModel.PREFIX), NetworkPayload.of(result.model()),
          prepared.normalizer().toJson());
    } catch (SitterTrainingAbortedException e) {
      throw e;
    } catch (RuntimeException e) {
      // Spark's convention for bad input; a row found bad on an executor arrives inside a SparkException.
      java.util.Optional<BadInputException> bad = BadInputException.find(e);
      if (bad.isPresent()) {
        throw new IllegalArgumentException(bad.get().getMessage(), e);
      }
      throw e;
    } finally {
      console.flush();
      if (temporary) {
        dir.delete();
      }
    }
  }

  private static SitterTrainingAbortedException aborted(TrainingAbortedException e, RunDirectory dir, Storage storage, boolean temporary) {
    List<DiagnosisItem> diagnosis = dir.checks().map(ChecksReport::diagnosis).orElse(List.of());
    if (!temporary) {
      try {
        ReportJob.write(storage, dir.path());
      } catch (RuntimeException reportFailure) {
        e.addSuppressed(reportFailure);
      }
    }
    String causes = diagnosis.isEmpty() ? "no diagnosis"
        : "diagnosis: " + diagnosis.stream().map(DiagnosisItem::text).collect(Collectors.joining(" "));
    return new SitterTrainingAbortedException("training aborted by the babysitter: " + e.getMessage() + "; " + causes,
        diagnosis, temporary ? null : dir.path().toString(), e);
  }

  /** A fresh directory on the default Hadoop file system, which the executors can read too (file:/tmp in local mode). */
  private static Path temporaryRun(Storage storage) {
    try {
      FileSystem fs = FileSystem.get(storage.configuration());
      return fs.makeQualified(new Path("/tmp/sitter-ml-" + UUID.randomUUID()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot reach the default file system for a temporary run directory: " + e.getMessage(), e);
    }
  }

  /** System.out for the console, left open when the console is closed. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  @Override
  public SitterClassifier copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  @Override
  public MLWriter write() {
    return new MlFiles.ClassifierWriter(this);
  }

  /** Spark's loaders ({@code Pipeline.load}, {@code CrossValidator.load}) find this by reflection. */
  public static MLReader<SitterClassifier> read() {
    return new MlFiles.ClassifierReader();
  }

  public static SitterClassifier load(String path) {
    return read().load(path);
  }
}
