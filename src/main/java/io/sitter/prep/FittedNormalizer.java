package io.sitter.prep;


import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sitter.config.BadInputException;
import io.sitter.data.DataSchema;
import io.sitter.stats.FeatureStatistics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The preprocessing fitted on a training split, as {@code preprocessing.json} holds it
 * (docs/formats.md): {@code x' = (x * scale - shift_j) / divisor_j} where the shift is 0, the
 * feature's mean or the overall mean and the divisor 1 or the feature's std (1 where the std is
 * 0, so a constant feature is centred, never divided by zero). Immutable; arrays are copied.
 */
@JsonPropertyOrder({
  "schemaVersion", "input", "format", "labelColumn", "mode", "scale", "numFeatures", "numClasses", "classes",
  "labelsWereStrings", "mean", "std", "min", "max", "pixelMean", "zeroVarianceFeatures", "counts", "seed", "split", "stratify"
})
public final class FittedNormalizer {
  public static final int SCHEMA_VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private final String input;
  private final String format;
  private final String labelColumn;
  private final NormalizationMode mode;
  private final double scale;
  private final List<String> classes;
  private final boolean labelsWereStrings;
  private final double[] mean;
  private final double[] std;
  private final double[] min;
  private final double[] max;
  private final double pixelMean;
  private final List<Integer> zeroVarianceFeatures;
  private final Map<String, Long> counts;
  private final long seed;
  private final List<Double> split;
  private final boolean stratify;
  private final double[] shift;
  private final double[] divisor;

  @JsonCreator
  FittedNormalizer(
      @JsonProperty(value = "schemaVersion", required = true) int schemaVersion,
      @JsonProperty("input") String input,
      @JsonProperty("format") String format,
      @JsonProperty("labelColumn") String labelColumn,
      @JsonProperty(value = "mode", required = true) NormalizationMode mode,
      @JsonProperty(value = "scale", required = true) double scale,
      @JsonProperty(value = "numFeatures", required = true) int numFeatures,
      @JsonProperty(value = "numClasses", required = true) int numClasses,
      @JsonProperty(value = "classes", required = true) List<String> classes,
      @JsonProperty("labelsWereStrings") boolean labelsWereStrings,
      @JsonProperty(value = "mean", required = true) double[] mean,
      @JsonProperty(value = "std", required = true) double[] std,
      @JsonProperty(value = "min", required = true) double[] min,
      @JsonProperty(value = "max", required = true) double[] max,
      @JsonProperty(value = "pixelMean", required = true) double pixelMean,
      @JsonProperty("zeroVarianceFeatures") List<Integer> zeroVarianceFeatures,
      @JsonProperty("counts") Map<String, Long> counts,
      @JsonProperty("seed") long seed,
      @JsonProperty("split") List<Double> split,
      @JsonProperty("stratify") boolean stratify) {
    if (schemaVersion != SCHEMA_VERSION) {
      throw new IllegalArgumentException("schemaVersion " + schemaVersion + " is not supported (this sitter reads " + SCHEMA_VERSION + ")");
    }
    if (mean.length != numFeatures || std.length != numFeatures || min.length != numFeatures || max.length != numFeatures) {
      throw new IllegalArgumentException("mean, std, min and max must each have numFeatures = " + numFeatures + " values");
    }
    if (classes.size() != numClasses) {
      throw new IllegalArgumentException("classes has " + classes.size() + " names, numClasses is " + numClasses);
    }
    if (!(Double.isFinite(scale) && scale > 0)) {
      throw new IllegalArgumentException("scale must be a finite number > 0, got " + scale);
    }
    this.input = input;
    this.format = format;
    this.labelColumn = labelColumn;
    this.mode = mode;
    this.scale = scale;
    this.classes = List.copyOf(classes);
    this.labelsWereStrings = labelsWereStrings;
    this.mean = mean.clone();
    this.std = std.clone();
    this.min = min.clone();
    this.max = max.clone();
    this.pixelMean = pixelMean;
    this.zeroVarianceFeatures = zeroVarianceFeatures == null ? List.of() : List.copyOf(zeroVarianceFeatures);
    this.counts = counts == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    this.seed = seed;
    this.split = split == null ? List.of() : List.copyOf(split);
    this.stratify = stratify;
    this.shift = new double[numFeatures];
    this.divisor = new double[numFeatures];
    for (int j = 0; j < numFeatures; j++) {
      shift[j] = switch (mode) {
        case NONE -> 0.0;
        case CENTER, STANDARDIZE -> mean[j];
        case PIXEL_MEAN -> pixelMean;
      };
      divisor[j] = mode == NormalizationMode.STANDARDIZE && std[j] > 0 ? std[j] : 1.0;
    }
  }

  /** Where the data came from and how it was split: everything in preprocessing.json but the statistics. */
  public record Provenance(
      String input, String format, String labelColumn, Map<String, Long> counts, long seed, List<Double> split, boolean stratify) {
    public Provenance {
      counts = new LinkedHashMap<>(counts);
      split = List.copyOf(split);
    }
  }

  /**
   * Fits the transform.
   *
   * @param train statistics of the training split's raw (unscaled) values; scaled here, which is
   *     exact: mean and std scale linearly and {@code scale > 0} keeps min below max
   */
  public static FittedNormalizer fit(
      FeatureStatistics train, NormalizationMode mode, double scale, List<String> classes, boolean labelsWereStrings, Provenance p) {
    double[] mean = train.mean();
    double[] std = train.std();
    double[] min = train.min();
    double[] max = train.max();
    for (int j = 0; j < mean.length; j++) {
      mean[j] *= scale;
      std[j] *= scale;
      min[j] *= scale;
      max[j] *= scale;
    }
    return new FittedNormalizer(
        SCHEMA_VERSION, p.input(), p.format(), p.labelColumn(), mode, scale, mean.length, classes.size(), classes,
        labelsWereStrings, mean, std, min, max, train.overallMean() * scale, train.zeroVarianceFeatures(), p.counts(),
        p.seed(), p.split(), p.stratify());
  }

  /**
   * Parses the text of a {@code preprocessing.json} ({@link io.sitter.storage.PrepDirectory} and
   * {@link io.sitter.storage.RunDirectory} read the file); malformed text is bad input naming
   * {@code source}.
   */
  public static FittedNormalizer fromJson(String json, Object source) {
    try {
      return JSON.readValue(json, FittedNormalizer.class);
    } catch (IOException e) {
      Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
      throw new BadInputException(source + ": not a valid preprocessing file: " + cause.getMessage(), e);
    }
  }

  /** The text of {@code preprocessing.json}. */
  public String toJson() {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The transformed copy of one raw row: scale first, then the mode. */
  public float[] apply(float[] raw) {
    return transform(raw, scale, shift, divisor);
  }

  /**
   * Transforms {@code rows} raw rows held row-major in {@code flat} in place, each exactly as {@link
   * #apply(float[])} would (a minibatch being scored without a copy per row).
   */
  public void applyInPlace(float[] flat, int rows) {
    int n = shift.length;
    if (flat.length < rows * n) {
      throw new BadInputException(rows + " rows of " + n + " features need " + rows * n + " values, got " + flat.length);
    }
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < n; j++) {
        int k = r * n + j;
        flat[k] = (float) ((flat[k] * scale - shift[j]) / divisor[j]);
      }
    }
  }

  static float[] transform(float[] raw, double scale, double[] shift, double[] divisor) {
    if (raw.length != shift.length) {
      throw new BadInputException("a row has " + raw.length + " features, the preprocessing expects " + shift.length);
    }
    float[] out = new float[raw.length];
    for (int j = 0; j < raw.length; j++) {
      out[j] = (float) ((raw[j] * scale - shift[j]) / divisor[j]);
    }
    return out;
  }

  /**
   * Normalizes rows ({@code index, features, label}) on the executors. The returned dataset has
   * exactly {@link DataSchema#ROWS}; the transform travels inside the map function (a few
   * thousand doubles), so nothing is collected.
   */
  public Dataset<Row> apply(Dataset<Row> rows) {
    return FeatureRow.toRows(FeatureRow.of(rows).map(new NormalizeRow(scale, shift, divisor), FeatureRow.ENCODER));
  }

  /** Executor side of {@link #apply(Dataset)}. */
  static final class NormalizeRow implements MapFunction<FeatureRow, FeatureRow> {
    private static final long serialVersionUID = 1L;
    private final double scale;
    private final double[] shift;
    private final double[] divisor;

    NormalizeRow(double scale, double[] shift, double[] divisor) {
      this.scale = scale;
      this.shift = shift.clone();
      this.divisor = divisor.clone();
    }

    @Override
    public FeatureRow call(FeatureRow r) {
      return new FeatureRow(r.getIndex(), transform(r.getFeatures(), scale, shift, divisor), r.getLabel());
    }
  }

  @JsonProperty("schemaVersion")
  public int schemaVersion() {
    return SCHEMA_VERSION;
  }

  @JsonProperty("input")
  public String input() {
    return input;
  }

  @JsonProperty("format")
  public String format() {
    return format;
  }

  @JsonProperty("labelColumn")
  public String labelColumn() {
    return labelColumn;
  }

  @JsonProperty("mode")
  public NormalizationMode mode() {
    return mode;
  }

  @JsonProperty("scale")
  public double scale() {
    return scale;
  }

  @JsonProperty("numFeatures")
  public int numFeatures() {
    return mean.length;
  }

  @JsonProperty("numClasses")
  public int numClasses() {
    return classes.size();
  }

  @JsonProperty("classes")
  public List<String> classes() {
    return classes;
  }

  @JsonProperty("labelsWereStrings")
  public boolean labelsWereStrings() {
    return labelsWereStrings;
  }

  /** Per-feature mean of the scaled training values. */
  @JsonProperty("mean")
  public double[] mean() {
    return mean.clone();
  }

  /** Per-feature population std (ddof 0) of the scaled training values. */
  @JsonProperty("std")
  public double[] std() {
    return std.clone();
  }

  @JsonProperty("min")
  public double[] min() {
    return min.clone();
  }

  @JsonProperty("max")
  public double[] max() {
    return max.clone();
  }

  @JsonProperty("pixelMean")
  public double pixelMean() {
    return pixelMean;
  }

  @JsonProperty("zeroVarianceFeatures")
  public List<Integer> zeroVarianceFeatures() {
    return zeroVarianceFeatures;
  }

  @JsonProperty("counts")
  public Map<String, Long> counts() {
    return counts;
  }

  @JsonProperty("seed")
  public long seed() {
    return seed;
  }

  @JsonProperty("split")
  public List<Double> split() {
    return split;
  }

  @JsonProperty("stratify")
  public boolean stratify() {
    return stratify;
  }
}
