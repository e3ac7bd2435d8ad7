package io.sitter.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sitter.config.BadInputException;
import io.sitter.config.ConfigLoader;
import io.sitter.storage.PathMessages;
import io.sitter.storage.Storage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;

/**
 * The keys a search varies and how each is sampled, read from a YAML file of dotted config keys:
 *
 * <pre>
 * train.learningRate: loguniform(1e-4, 1e-1)
 * model.l2: loguniform(1e-6, 1e-2)
 * model.dropout: uniform(0, 0.5)
 * train.minibatchSize: int(32, 256)
 * model.activation: choice([relu, tanh])
 * model.hiddenLayers: choice([[256, 256], [512]])
 * </pre>
 *
 * Every key must be a configuration key, and both ends of a range (every option of a choice) must be
 * a valid value for it, so a bad space fails before any trial runs.
 */
public final class SearchSpace {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern CALL = Pattern.compile("^\\s*(loguniform|uniform|int|choice)\\s*\\((.*)\\)\\s*$", Pattern.DOTALL);

  private final Map<String, Distribution> keys;

  SearchSpace(Map<String, Distribution> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("a search space needs at least one key");
    }
    this.keys = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keys));
  }

  /**
   * Reads and checks a space file (a small file, read on the driver through Hadoop's file system,
   * so {@code --space} may be an {@code hdfs://} or object-store URI); every problem is a {@link
   * BadInputException} naming file and key.
   */
  public static SearchSpace read(Storage storage, Path path) {
    String file = PathMessages.show(path);
    byte[] bytes;
    try (InputStream in = storage.fileSystem(path).open(path)) {
      bytes = in.readAllBytes();
    } catch (FileNotFoundException e) {
      throw new BadInputException("search space file not found: " + file, e);
    } catch (IOException e) {
      throw PathMessages.failure("search space file", path, e);
    }
    JsonNode root;
    try {
      root = YAML.readTree(bytes);
    } catch (IOException e) {
      throw new BadInputException(file + ": not valid YAML: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject() || root.isEmpty()) {
      throw new BadInputException(file + ": a search space is a YAML mapping of config keys to distributions, e.g. 'train.learningRate: loguniform(1e-4, 1e-1)'");
    }
    Map<String, Distribution> keys = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = root.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      try {
        Distribution d = parse(e.getValue());
        checkValues(key, d);
        keys.put(key, d);
      } catch (IllegalArgumentException | BadInputException ex) {
        throw new BadInputException(file + ": key '" + key + "': " + ex.getMessage(), ex);
      }
    }
    return new SearchSpace(keys);
  }

  static Distribution parse(JsonNode value) {
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException("expected loguniform(lo, hi), uniform(lo, hi), int(lo, hi) or choice([...]), got " + value);
    }
    Matcher m = CALL.matcher(value.asText());
    if (!m.matches()) {
      throw new IllegalArgumentException("expected loguniform(lo, hi), uniform(lo, hi), int(lo, hi) or choice([...]), got '" + value.asText() + "'");
    }
    String kind = m.group(1);
    String args = m.group(2).trim();
    if (kind.equals("choice")) {
      JsonNode list = yaml(args);
      if (!list.isArray()) {
        throw new IllegalArgumentException("choice takes a list, e.g. choice([relu, tanh]), got '" + args + "'");
      }
      List<JsonNode> options = new ArrayList<>();
      list.forEach(options::add);
      return new Distribution.Choice(options);
    }
    JsonNode pair = yaml("[" + args + "]");
    if (pair.size() != 2 || !pair.get(0).isNumber() || !pair.get(1).isNumber()) {
      throw new IllegalArgumentException(kind + " takes two numbers (lo, hi), got '" + args + "'");
    }
    double lo = pair.get(0).asDouble();
    double hi = pair.get(1).asDouble();
    return switch (kind) {
      case "loguniform" -> new Distribution.LogUniform(lo, hi);
      case "uniform" -> new Distribution.Uniform(lo, hi);
      default -> {
        if (!pair.get(0).canConvertToExactIntegral() || !pair.get(1).canConvertToExactIntegral()) {
          throw new IllegalArgumentException("int takes two integers (lo, hi), got '" + args + "'");
        }
        yield new Distribution.IntRange(pair.get(0).asInt(), pair.get(1).asInt());
      }
    };
  }

  /** Both ends (or every option) must be accepted by the config, so no trial fails on its values. */
  private static void checkValues(String key, Distribution d) {
    List<JsonNode> probes = d.extremes();
    for (JsonNode v : probes) {
      ConfigLoader.defaults(List.of(override(key, v)));
    }
  }

  /** {@code key=value} in the YAML flow syntax {@code --set} and {@link ConfigLoader} take. */
  static String override(String key, JsonNode value) {
    return key + "=" + value.toString();
  }

  private static JsonNode yaml(String text) {
    try {
      return YAML.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read '" + text + "': " + e.getMessage(), e);
    }
  }

  /** The keys, in file order. */
  public Map<String, Distribution> keys() {
    return keys;
  }

  /** One trial's values, drawn from {@code random}; keys in file order. */
  public Map<String, JsonNode> sample(SplittableRandom random) {
    Map<String, JsonNode> values = new LinkedHashMap<>();
    keys.forEach((k, d) -> values.put(k, d.sample(random)));
    return values;
  }

  /** A narrower space around the best trials' values (best first); see {@link Narrowing}. */
  public SearchSpace narrow(List<Map<String, JsonNode>> best, double shrink) {
    if (best.isEmpty()) {
      throw new IllegalArgumentException("narrowing needs at least one finished trial");
    }
    Map<String, Distribution> narrowed = new LinkedHashMap<>();
    keys.forEach((k, d) -> narrowed.put(k, d.narrow(best.stream().map(v -> v.get(k)).toList(), shrink)));
    return new SearchSpace(narrowed);
  }

  /** The {@code --set} overrides for one trial's values. */
  public static List<String> overrides(Map<String, JsonNode> values) {
    return values.entrySet().stream().map(e -> override(e.getKey(), e.getValue())).toList();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    keys.forEach((k, d) -> sb.append(k).append(": ").append(d.describe()).append('\n'));
    return sb.toString();
  }
}
