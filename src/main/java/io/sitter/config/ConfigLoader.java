package io.sitter.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sitter.storage.PathMessages;
import io.sitter.storage.Storage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;

/**
 * Loads the effective configuration: the packaged {@code conf/default.yaml}, then each user file
 * merged over it, then {@code --set key=value} overrides. A key the defaults do not have is an
 * error naming the key and where it came from; values are checked by the records' constructors.
 * User files are read through Hadoop's file system ({@link Storage}), so {@code --config} may be
 * an {@code hdfs://} or object-store URI; they are small and read on the driver.
 */
public final class ConfigLoader {
  private static final String DEFAULTS = "default.yaml";
  private static final String BABYSIT = "babysit";
  private static final String TRAIN = "train";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper BINDER =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

  private ConfigLoader() {}

  /** The defaults alone. */
  public static SitterConfig defaults() {
    return defaults(List.of());
  }

  /** The defaults with {@code overrides} ({@code key=value}) applied: {@link #load(Storage, List, List)} without files. */
  public static SitterConfig defaults(List<String> overrides) {
    return load(Storage.local(), List.of(), overrides);
  }

  /**
   * @param storage how to reach the files
   * @param files YAML files merged over the defaults, in order (qualified, from {@code Storage.resolve})
   * @param overrides {@code key=value} pairs, dotted keys, values in YAML syntax
   * @throws BadInputException naming the file, key or value that is wrong
   */
  public static SitterConfig load(Storage storage, List<Path> files, List<String> overrides) {
    ObjectNode tree = defaultsTree();
    for (Path file : files) {
      JsonNode user = readYaml(storage, file);
      if (user == null || user.isMissingNode() || user.isNull()) {
        continue;
      }
      if (!user.isObject()) {
        throw new BadInputException(PathMessages.show(file) + ": a config file must be a YAML mapping of sections (model, train, babysit)");
      }
      merge(tree, (ObjectNode) user, "", PathMessages.show(file));
    }
    for (String override : overrides) {
      applyOverride(tree, override);
    }
    return bind(tree);
  }

  /**
   * {@code base} with {@code --set}-style overrides applied (a search trial's sampled values over
   * the user's configuration).
   */
  public static SitterConfig override(SitterConfig base, List<String> overrides) {
    ObjectNode tree = toTree(base);
    for (String override : overrides) {
      applyOverride(tree, override);
    }
    return bind(tree);
  }

  /** Binds a complete tree (for instance a saved {@code config.json}) to the records. */
  public static SitterConfig bind(JsonNode tree) {
    try {
      return BINDER.treeToValue(tree, SitterConfig.class);
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new BadInputException("bad configuration: " + cause.getMessage(), e);
    } catch (JsonMappingException e) {
      throw new BadInputException("bad configuration value for '" + dotted(e) + "': " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new BadInputException("bad configuration: " + e.getMessage(), e);
    }
  }

  /**
   * Train keys added after runs were first saved, each with a default that trains exactly as runs
   * written before it did: plain averaging (no block momentum, block learning rate 1, no Nesterov
   * look-ahead) and no warm-up. ConfigLoaderTest holds these defaults to those values.
   */
  static final List<String> TRAIN_KEYS_ADDED_SWITCHED_OFF =
      List.of("blockMomentum", "blockLearningRate", "blockNesterov", "warmupIterations");

  /**
   * Binds the {@code config} of a run's saved {@code config.json}. A run written before a key
   * existed lacks it. Two kinds of key are filled from the defaults: babysit keys, since the
   * babysitter's thresholds only judge the training and do not change the model it reaches; and
   * {@link #TRAIN_KEYS_ADDED_SWITCHED_OFF}, whose defaults train as the run did. Every other key must
   * be there, and a key that is there keeps its saved value (so a resumed run whose configuration
   * changed is still refused where the configurations are compared).
   */
  public static SitterConfig bindSaved(JsonNode saved) {
    JsonNode babysit = saved.get(BABYSIT);
    JsonNode train = saved.get(TRAIN);
    if (!saved.isObject() || babysit != null && !babysit.isObject() || train != null && !train.isObject()) {
      return bind(saved);
    }
    ObjectNode defaults = defaultsTree();
    ObjectNode tree = ((ObjectNode) saved).deepCopy();
    ObjectNode filled = ((ObjectNode) defaults.get(BABYSIT)).deepCopy();
    if (babysit != null) {
      filled.setAll((ObjectNode) babysit);
    }
    tree.set(BABYSIT, filled);
    if (train != null) {
      ObjectNode savedTrain = (ObjectNode) tree.get(TRAIN);
      for (String key : TRAIN_KEYS_ADDED_SWITCHED_OFF) {
        if (!savedTrain.has(key)) {
          savedTrain.set(key, defaults.get(TRAIN).get(key));
        }
      }
    }
    return bind(tree);
  }

  /** The configuration as a JSON tree, the form saved with runs and read back by {@link #bind}. */
  public static ObjectNode toTree(SitterConfig config) {
    return BINDER.valueToTree(config);
  }

  /**
   * The dotted keys whose values differ between two configurations, each as {@code key: a -> b}
   * (in key order); empty when they are equal. Compared as bound records' trees, so a number read
   * back from JSON as another node type is still equal.
   */
  public static List<String> differences(SitterConfig a, SitterConfig b) {
    List<String> out = new java.util.ArrayList<>();
    diff(toTree(a), toTree(b), "", out);
    return out;
  }

  private static void diff(JsonNode a, JsonNode b, String prefix, List<String> out) {
    if (a != null && b != null && a.isObject() && b.isObject()) {
      java.util.TreeSet<String> names = new java.util.TreeSet<>();
      a.fieldNames().forEachRemaining(names::add);
      b.fieldNames().forEachRemaining(names::add);
      for (String n : names) {
        diff(a.get(n), b.get(n), prefix.isEmpty() ? n : prefix + "." + n, out);
      }
    } else if (!java.util.Objects.equals(a, b)) {
      out.add(prefix + ": " + a + " -> " + b);
    }
  }

  /** Pretty JSON of the configuration. */
  public static String toJson(SitterConfig config) {
    try {
      return BINDER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** YAML of the configuration, ready for {@code --config}. */
  public static String toYaml(SitterConfig config) {
    try {
      return YAML.writeValueAsString(toTree(config));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode defaultsTree() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS)) {
      if (in == null) {
        throw new IllegalStateException("conf/default.yaml is not packaged as io/sitter/config/" + DEFAULTS);
      }
      return (ObjectNode) YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode readYaml(Storage storage, Path file) {
    byte[] bytes;
    try (InputStream in = storage.fileSystem(file).open(file)) {
      bytes = in.readAllBytes();
    } catch (FileNotFoundException e) {
      // also what opening a directory gives
      throw new BadInputException("config file not found: " + PathMessages.show(file), e);
    } catch (IOException e) {
      throw PathMessages.failure("config file", file, e);
    }
    try {
      return YAML.readTree(bytes);
    } catch (IOException e) {
      throw new BadInputException(PathMessages.show(file) + ": not valid YAML: " + firstLine(e.getMessage()), e);
    }
  }

  private static void merge(ObjectNode base, ObjectNode user, String prefix, String source) {
    Iterator<Map.Entry<String, JsonNode>> it = user.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = prefix + e.getKey();
      JsonNode known = base.get(e.getKey());
      if (known == null) {
        throw new BadInputException(source + ": unknown config key '" + key + "'" + knownKeys(base, prefix));
      }
      if (known.isObject()) {
        if (!e.getValue().isObject()) {
          throw new BadInputException(source + ": config key '" + key + "' is a section, not a value");
        }
        merge((ObjectNode) known, (ObjectNode) e.getValue(), key + ".", source);
      } else {
        if (e.getValue().isObject()) {
          throw new BadInputException(source + ": config key '" + key + "' takes a value, not a section");
        }
        base.set(e.getKey(), e.getValue());
      }
    }
  }

  private static void applyOverride(ObjectNode tree, String override) {
    int eq = override.indexOf('=');
    if (eq <= 0) {
      throw new BadInputException("--set takes key=value, got '" + override + "'");
    }
    String key = override.substring(0, eq).trim();
    String text = override.substring(eq + 1);
    JsonNode value;
    try {
      value = text.isBlank() ? YAML.getNodeFactory().nullNode() : YAML.readTree(text);
    } catch (IOException e) {
      throw new BadInputException("--set " + key + ": not a YAML value: " + text);
    }
    String[] path = key.split("\\.");
    ObjectNode node = tree;
    StringBuilder seen = new StringBuilder();
    for (int i = 0; i < path.length; i++) {
      JsonNode child = node.get(path[i]);
      String prefix = seen.toString();
      seen.append(path[i]);
      if (child == null) {
        throw new BadInputException("--set: unknown config key '" + key + "'" + knownKeys(node, prefix));
      }
      if (i < path.length - 1) {
        if (!child.isObject()) {
          throw new BadInputException("--set: unknown config key '" + key + "'");
        }
        node = (ObjectNode) child;
        seen.append('.');
      } else if (child.isObject()) {
        throw new BadInputException("--set: config key '" + key + "' is a section; name one of its keys");
      } else if (value.getNodeType() == JsonNodeType.OBJECT) {
        throw new BadInputException("--set: config key '" + key + "' takes a value, not a mapping");
      } else {
        node.set(path[i], value);
      }
    }
  }

  private static String knownKeys(JsonNode node, String prefix) {
    StringBuilder sb = new StringBuilder(" (known: ");
    Iterator<String> names = node.fieldNames();
    boolean first = true;
    while (names.hasNext()) {
      sb.append(first ? "" : ", ").append(prefix).append(names.next());
      first = false;
    }
    return sb.append(')').toString();
  }

  private static String dotted(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
