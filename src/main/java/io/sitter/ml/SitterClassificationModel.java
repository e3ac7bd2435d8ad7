package io.sitter.ml;

import io.sitter.model.NetworkPayload;
import io.sitter.prep.FittedNormalizer;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A network trained by {@link SitterClassifier}: Spark ML's probabilistic classification model, so
 * {@code transform} adds {@code rawPredictionCol}, {@code probabilityCol} and {@code predictionCol}
 * (Spark's default names), {@code MulticlassClassificationEvaluator} and {@code
 * BinaryClassificationEvaluator} work on its output, and it saves and loads inside a {@code
 * PipelineModel} ({@link #write()}, {@link #read()}).
 *
 * <p>A row's features first go through the normalization fitted on the training rows ({@link
 * #preprocessingJson()}, the {@code preprocessing.json} of {@code sitter prep}), then through the
 * network in inference mode (BatchNorm's population statistics, no dropout). {@code rawPrediction}
 * holds the natural logarithms of the softmax outputs: logits up to a constant, so Spark's softmax
 * of them ({@code probability}) gives back the network's probabilities.
 *
 * <p>Saved form ({@code path/}): {@code metadata/part-00000} (Spark's params metadata, as {@code
 * DefaultParamsWriter} writes it), {@code data/model.zip} (DL4J's {@code ModelSerializer} format:
 * {@code ModelSerializer.restoreMultiLayerNetwork} reads it without sitter) and {@code
 * data/preprocessing.json}.
 */
public class SitterClassificationModel extends ProbabilisticClassificationModel<Vector, SitterClassificationModel>
    implements MLWritable {
  private static final long serialVersionUID = 1L;
  static final String PREFIX = "sitterClassificationModel";

  /** Lazy (see {@link Uids}): assigned during the superclass constructor. No initializer on purpose. */
  private String uid;
  private NetworkPayload network;
  private String preprocessingJson;
  private transient FittedNormalizer normalizer;
  private transient MultiLayerNetwork net;
  /**
   * Set only on {@link #transform}'s internal copy, whose features column holds precomputed raw
   * predictions. Not transient: Spark ships that copy to the executors inside its UDFs.
   */
  private boolean rawInFeatures;

  /**
   * @param network the trained network's configuration and parameters
   * @param preprocessingJson the normalization fitted on the training rows ({@link FittedNormalizer#toJson()})
   */
  public SitterClassificationModel(String uid, NetworkPayload network, String preprocessingJson) {
    this(Uids.offer(uid), network, preprocessingJson, true);
  }

  private SitterClassificationModel(String uid, NetworkPayload network, String preprocessingJson, boolean handedOver) {
    super();
    uid();
    this.network = network;
    this.preprocessingJson = preprocessingJson;
    this.normalizer = FittedNormalizer.fromJson(preprocessingJson, "preprocessing");
  }

  @Override
  public String uid() {
    if (uid == null) {
      uid = Uids.take(PREFIX);
    }
    return uid;
  }

  @Override
  public int numClasses() {
    return normalizer().numClasses();
  }

  @Override
  public int numFeatures() {
    return normalizer().numFeatures();
  }

  /** The trained network (configuration and parameters, BatchNorm statistics included). */
  public NetworkPayload network() {
    return network;
  }

  /** A new DL4J network with the trained parameters, independent of this model. */
  public MultiLayerNetwork toNetwork() {
    return network.toNetwork();
  }

  /** The normalization fitted on the training rows, as {@code preprocessing.json} (docs/formats.md). */
  public String preprocessingJson() {
    return preprocessingJson;
  }

  FittedNormalizer normalizer() {
    if (normalizer == null) {
      normalizer = FittedNormalizer.fromJson(preprocessingJson, "preprocessing");
    }
    return normalizer;
  }

  /** The network's class probabilities for one row of raw (unnormalized) features. */
  public double[] probabilities(Vector features) {
    // Normalized in double from the values given, as training's rows were; float32 after.
    float[] normalized = normalizer().apply(features.toArray());
    INDArray out;
    // One network per deserialized copy of the model: Spark ships the model to each task, and DL4J's
    // output() must not run on one network from two threads at once (driver-side callers share it).
    synchronized (this) {
      if (net == null) {
        net = network.toNetwork();
      }
      out = net.output(Nd4j.create(normalized, new long[] {1, normalized.length}, 'c'), false);
    }
    double[] p = new double[numClasses()];
    for (int c = 0; c < p.length; c++) {
      p[c] = out.getDouble(0, c);
    }
    return p;
  }

  @Override
  public Vector predictRaw(Vector features) {
    if (rawInFeatures) {
      // A copy: Spark's predictProbability turns what predictRaw returns into probabilities in place.
      return features.copy();
    }
    double[] p = probabilities(features);
    double[] logits = new double[p.length];
    for (int c = 0; c < p.length; c++) {
      logits[c] = logit(p[c]);
    }
    return Vectors.dense(logits);
  }

  /** {@link #predictRaw} of softmax outputs {@code p[from .. from + n)}, as {@link #probabilities} reads them (float to double). */
  static double[] logits(float[] p, int from, int n) {
    double[] logits = new double[n];
    for (int c = 0; c < n; c++) {
      logits[c] = logit(p[from + c]);
    }
    return logits;
  }

  private static double logit(double p) {
    return Math.log(Math.max(p, Double.MIN_NORMAL));
  }

  @Override
  public Vector raw2probabilityInPlace(Vector rawPrediction) {
    if (!(rawPrediction instanceof DenseVector d)) {
      throw new IllegalArgumentException("rawPrediction must be a dense vector, got " + rawPrediction.getClass().getSimpleName());
    }
    double[] v = d.values();
    double max = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      max = Math.max(max, x);
    }
    double sum = 0;
    for (int c = 0; c < v.length; c++) {
      v[c] = Math.exp(v[c] - max);
      sum += v[c];
    }
    for (int c = 0; c < v.length; c++) {
      v[c] /= sum;
    }
    return d;
  }

  /** Features may be ML vectors or arrays of float or double, as for {@link SitterClassifier}. */
  @Override
  public StructType transformSchema(StructType schema) {
    TrainingRows.checkSchema(schema, getFeaturesCol(), null);
    return TrainingRows.withInputTypes(schema, super.transformSchema(TrainingRows.vectorTyped(schema, getFeaturesCol())));
  }

  /**
   * Spark's transform, with the network run a minibatch at a time: the raw predictions of each
   * partition are computed in batches of {@link io.sitter.serve.RowBatches#BATCH_ROWS} rows ({@link
   * ScorePartition}) into a temporary column, and Spark's own {@code ProbabilisticClassificationModel}
   * transform derives {@code rawPredictionCol}, {@code probabilityCol} and {@code predictionCol} from
   * it (thresholds, empty column names and column metadata as for any Spark classifier), on a copy
   * of this model whose {@link #predictRaw} is the identity. Per row, {@code output()} on a
   * 1-row matrix cost a native call and its allocations for every row. Lazy, as Spark's transform:
   * nothing runs until the result is.
   *
   * <p>Rows are checked as {@code sitter predict} checks them: a features value that is null, of a
   * size other than {@link #numFeatures()}, or not finite fails the job with that reason.
   */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    if (rawInFeatures) {
      return super.transform(dataset);
    }
    StructType input = dataset.schema();
    transformSchema(input);
    String features = getFeaturesCol();
    // Doubles, as the training rows were read: normalized in double, float32 only as network input.
    Column doubles = TrainingRows.isArray(TrainingRows.column(input, "featuresCol", features).dataType())
        ? functions.col(features).cast(DataTypes.createArrayType(DataTypes.DoubleType))
        : org.apache.spark.ml.functions.vector_to_array(functions.col(features), "float64");
    Dataset<Row> laidOut = dataset.toDF().select(doubles, functions.lit(-1L), functions.col("*"));
    String raw = "_sitter_raw_" + uid();
    StructType scoredSchema = input.add(raw, SQLDataTypes.VectorType(), false);
    Dataset<Row> scored = laidOut.mapPartitions(
        new ScorePartition(network, preprocessingJson, numFeatures(), numClasses()), Encoders.row(scoredSchema));
    SitterClassificationModel fromRaw = copy(ParamMap.empty());
    fromRaw.rawInFeatures = true;
    fromRaw.setFeaturesCol(raw);
    Dataset<Row> out = fromRaw.transform(scored).drop(raw);
    // The input's columns as they came, metadata included (e.g. StringIndexer's labels on labelCol),
    // whatever the row encoder of the batched step kept of it.
    Column[] columns = new Column[out.schema().size()];
    for (int i = 0; i < columns.length; i++) {
      StructField f = out.schema().fields()[i];
      Column c = out.col(quoted(f.name()));
      columns[i] = i < input.size() ? c.as(f.name(), input.fields()[i].metadata()) : c;
    }
    return out.select(columns);
  }

  private static String quoted(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /** Only to choose between the two inherited declarations, which differ in their generic return type (Scala's covariant override); raw, since Java's generics are invariant. */
  @Override
  @SuppressWarnings("rawtypes")
  public scala.Tuple3 findSummaryModel() {
    return super.findSummaryModel();
  }

  @Override
  public SitterClassificationModel copy(ParamMap extra) {
    SitterClassificationModel copy = copyValues(new SitterClassificationModel(uid(), network, preprocessingJson), extra);
    return copy.setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new MlFiles.ModelWriter(this);
  }

  /** Spark's loaders ({@code PipelineModel.load}) find this by reflection. */
  public static MLReader<SitterClassificationModel> read() {
    return new MlFiles.ModelReader();
  }

  public static SitterClassificationModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "SitterClassificationModel: uid=" + uid() + ", numClasses=" + numClasses() + ", numFeatures=" + numFeatures();
  }
}
