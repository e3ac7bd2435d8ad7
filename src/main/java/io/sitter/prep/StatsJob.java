package io.sitter.prep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sitter.data.DataReaders;
import io.sitter.data.DataSchema;
import io.sitter.data.InputFormat;
import io.sitter.data.InputSpec;
import io.sitter.data.LabeledData;
import io.sitter.stats.FeatureStatistics;
import io.sitter.storage.Storage;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** {@code sitter stats}: per-feature statistics and label counts of a whole input (all of it, label excluded). */
public final class StatsJob {
  private StatsJob() {}

  /**
   * The statistics file (docs/formats.md, "Input statistics").
   *
   * @param labelCounts rows per class, in class-index order (empty without labels)
   */
  public record InputStatistics(
      int schemaVersion,
      String input,
      String format,
      long count,
      int numFeatures,
      List<Double> mean,
      List<Double> std,
      List<Double> min,
      List<Double> max,
      List<Integer> zeroVarianceFeatures,
      List<String> classes,
      List<Long> labelCounts) {
    public InputStatistics {
      mean = List.copyOf(mean);
      std = List.copyOf(std);
      min = List.copyOf(min);
      max = List.copyOf(max);
      zeroVarianceFeatures = List.copyOf(zeroVarianceFeatures);
      classes = List.copyOf(classes);
      labelCounts = List.copyOf(labelCounts);
    }
  }

  /** Computes the statistics and, when {@code out} is given, writes them there atomically. */
  public static InputStatistics run(SparkSession spark, InputSpec spec, Path out) {
    LabeledData data = DataReaders.read(spark, spec, null);
    Dataset<Row> all = data.predefinedTest() == null ? data.rows() : data.rows().union(data.predefinedTest());
    FeatureStatistics s = FeatureStatisticsJob.compute(all, data.numFeatures(), data.source());
    long[] perClass = new long[data.numClasses()];
    if (spec.hasLabels()) {
      for (Row r : all.groupBy(DataSchema.LABEL).count().collectAsList()) {
        perClass[r.getInt(0)] = r.getLong(1);
      }
    }
    String format = spec.format() == InputFormat.AUTO ? DataReaders.detect(spec.input()).cliName() : spec.format().cliName();
    InputStatistics result =
        new InputStatistics(
            FittedNormalizer.SCHEMA_VERSION, spec.input().toString(), format, s.count(), s.numFeatures(), boxed(s.mean()),
            boxed(s.std()), boxed(s.min()), boxed(s.max()), s.zeroVarianceFeatures(), data.classes(),
            Arrays.stream(perClass).boxed().toList());
    if (out != null) {
      try {
        String json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(result);
        Storage.of(spark.sparkContext().hadoopConfiguration()).files().writeString(out, json);
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }
    return result;
  }

  private static List<Double> boxed(double[] values) {
    List<Double> out = new ArrayList<>(values.length);
    for (double v : values) {
      out.add(v);
    }
    return out;
  }
}
