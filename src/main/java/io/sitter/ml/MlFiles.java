package io.sitter.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitter.model.NetworkPayload;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * The saved form of {@link SitterClassifier} and {@link SitterClassificationModel}.
 *
 * <p>{@code path/metadata/part-00000} is one JSON line in the layout of Spark's own {@code
 * DefaultParamsWriter} ({@code class}, {@code timestamp}, {@code sparkVersion}, {@code uid}, {@code
 * paramMap}, {@code defaultParamMap}), which is what {@code Pipeline.load}/{@code PipelineModel.load}
 * read to find a stage's class (then they call its static {@code read()}). It is written here, with
 * Hadoop's FileSystem and Jackson, rather than through {@code DefaultParamsWriter}/{@code
 * DefaultParamsReader}: those are {@code private[ml]} (BigDL reaches them with a shim class in the
 * package {@code org.apache.spark.ml}), and their Scala signatures changed between Spark 3.5 and 4
 * (SparkContext versus SparkSession parameters, default arguments that Java cannot omit), whereas the
 * file layout is what both versions read. So this compiles against Scala 2.12 and 2.13 alike, and no
 * sitter class lives in Spark's packages.
 */
final class MlFiles {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String METADATA = "metadata";
  static final String DATA = "data";
  static final String MODEL_ZIP = "model.zip";
  static final String PREPROCESSING = "preprocessing.json";

  private MlFiles() {}

  static void writeMetadata(Params instance, String path, String sparkVersion, Configuration conf) {
    ObjectNode m = JSON.createObjectNode();
    m.put("class", instance.getClass().getName());
    m.put("timestamp", System.currentTimeMillis());
    m.put("sparkVersion", sparkVersion);
    m.put("uid", instance.uid());
    m.set("paramMap", params(instance, true));
    m.set("defaultParamMap", params(instance, false));
    write(conf, new Path(new Path(path, METADATA), "part-00000"), (m.toString() + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** The set params ({@code set}) or the defaults, each as its param's own JSON encoding. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static ObjectNode params(Params instance, boolean set) {
    ObjectNode out = JSON.createObjectNode();
    // The Java array, not a Scala collection: Scala's collection converters differ between 2.12 and 2.13.
    for (Param p : instance.params()) {
      if (set ? !instance.isSet(p) : !instance.hasDefault(p)) {
        continue;
      }
      Object value = set ? instance.get(p).get() : instance.getDefault(p).get();
      try {
        out.set(p.name(), JSON.readTree(p.jsonEncode(value)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /** The metadata written by {@link #writeMetadata}, checked to be of {@code expected}. */
  static JsonNode readMetadata(String path, Class<?> expected, Configuration conf) {
    JsonNode m;
    try {
      m = JSON.readTree(new String(read(conf, new Path(new Path(path, METADATA), "part-00000")), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String cls = m.path("class").asText();
    if (!cls.equals(expected.getName())) {
      throw new IllegalArgumentException(path + " holds a " + cls + ", not a " + expected.getName());
    }
    return m;
  }

  /** Sets the saved {@code paramMap} on {@code instance} (its defaults are its own). */
  @SuppressWarnings("unchecked")
  static <T extends Params> T setParams(T instance, JsonNode metadata) {
    Iterator<Map.Entry<String, JsonNode>> it = metadata.path("paramMap").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      Param<Object> p = instance.getParam(e.getKey());
      instance.set(p, p.jsonDecode(e.getValue().toString()));
    }
    return instance;
  }

  static void write(Configuration conf, Path file, byte[] bytes) {
    try (OutputStream out = file.getFileSystem(conf).create(file, true)) {
      out.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  static byte[] read(Configuration conf, Path file) {
    try (InputStream in = file.getFileSystem(conf).open(file)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The estimator: metadata only. */
  static final class ClassifierWriter extends MLWriter {
    private final SitterClassifier instance;

    ClassifierWriter(SitterClassifier instance) {
      this.instance = instance;
    }

    @Override
    public void saveImpl(String path) {
      writeMetadata(instance, path, sparkSession().version(), sc().hadoopConfiguration());
    }
  }

  static final class ClassifierReader extends MLReader<SitterClassifier> {
    @Override
    public SitterClassifier load(String path) {
      JsonNode m = readMetadata(path, SitterClassifier.class, sparkSession().sparkContext().hadoopConfiguration());
      return setParams(new SitterClassifier(m.path("uid").asText()), m);
    }
  }

  /** The model: metadata, the DL4J zip and the normalization. */
  static final class ModelWriter extends MLWriter {
    private final SitterClassificationModel instance;

    ModelWriter(SitterClassificationModel instance) {
      this.instance = instance;
    }

    @Override
    public void saveImpl(String path) {
      Configuration conf = sc().hadoopConfiguration();
      writeMetadata(instance, path, sparkSession().version(), conf);
      Path data = new Path(path, DATA);
      Path zip = new Path(data, MODEL_ZIP);
      try (OutputStream out = zip.getFileSystem(conf).create(zip, true)) {
        // No updater state: a saved model is for scoring, and Adam's state would double the file.
        ModelSerializer.writeModel(instance.toNetwork(), out, false);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + zip + ": " + e.getMessage(), e);
      }
      write(conf, new Path(data, PREPROCESSING), instance.preprocessingJson().getBytes(StandardCharsets.UTF_8));
    }
  }

  static final class ModelReader extends MLReader<SitterClassificationModel> {
    @Override
    public SitterClassificationModel load(String path) {
      Configuration conf = sparkSession().sparkContext().hadoopConfiguration();
      JsonNode m = readMetadata(path, SitterClassificationModel.class, conf);
      Path data = new Path(path, DATA);
      Path zip = new Path(data, MODEL_ZIP);
      MultiLayerNetwork net;
      try (InputStream in = zip.getFileSystem(conf).open(zip)) {
        net = ModelSerializer.restoreMultiLayerNetwork(in, false);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + zip + ": " + e.getMessage(), e);
      }
      String prep = new String(read(conf, new Path(data, PREPROCESSING)), StandardCharsets.UTF_8);
      return setParams(new SitterClassificationModel(m.path("uid").asText(), NetworkPayload.of(net), prep), m);
    }
  }
}
