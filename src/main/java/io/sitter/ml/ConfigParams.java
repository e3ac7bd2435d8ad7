package io.sitter.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitter.config.BadInputException;
import io.sitter.config.ConfigLoader;
import io.sitter.config.SitterConfig;
import java.io.Serializable;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import scala.runtime.AbstractFunction1;

/**
 * Every key of sitter's configuration as a Spark ML param, made from the config records
 * ({@link SitterConfig}'s sections and their components) and their defaults from {@link
 * ConfigLoader#defaults()} ({@code conf/default.yaml}): nothing is written twice. A param is named
 * by the key's last part ({@code train.learningRate} is {@code learningRate}; the names are unique
 * across sections) and checked by the records' own constructors when set.
 */
final class ConfigParams {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SitterConfig DEFAULTS = ConfigLoader.defaults();

  /** One configuration key: its section ({@code model}, {@code train}, {@code babysit}), name and Java type. */
  record Key(String section, String name, Class<?> type) implements Serializable {
    String dotted() {
      return section + "." + name;
    }
  }

  /** All keys, in the records' order. */
  static final List<Key> KEYS = keys();

  private ConfigParams() {}

  private static List<Key> keys() {
    List<Key> keys = new ArrayList<>();
    java.util.Set<String> names = new java.util.HashSet<>();
    for (RecordComponent section : SitterConfig.class.getRecordComponents()) {
      for (RecordComponent c : section.getType().getRecordComponents()) {
        if (!names.add(c.getName())) {
          throw new IllegalStateException("config key name " + c.getName() + " is used in two sections; a Spark param needs one name");
        }
        keys.add(new Key(section.getName(), c.getName(), c.getType()));
      }
    }
    return Collections.unmodifiableList(keys);
  }

  /** The params of {@code owner}, by name, each with its default from conf/default.yaml set on {@code owner}. */
  static Map<String, Param<?>> create(Params owner) {
    Map<String, Param<?>> params = new LinkedHashMap<>();
    ObjectNode defaults = ConfigLoader.toTree(DEFAULTS);
    for (Key k : KEYS) {
      Param<?> p = param(owner, k);
      params.put(k.name(), p);
      setDefault(owner, p, fromJson(k, defaults.get(k.section()).get(k.name())));
    }
    return params;
  }

  @SuppressWarnings("unchecked")
  private static <T> void setDefault(Params owner, Param<T> p, Object value) {
    owner.setDefault(p, (T) value);
  }

  private static Param<?> param(Params owner, Key k) {
    String doc = k.dotted() + " of sitter's configuration (conf/default.yaml)";
    Class<?> t = k.type();
    if (t == int.class) {
      return new IntParam(owner, k.name(), doc, new Valid<>(k));
    } else if (t == long.class) {
      return new LongParam(owner, k.name(), doc, new Valid<>(k));
    } else if (t == double.class) {
      return new DoubleParam(owner, k.name(), doc, new Valid<>(k));
    } else if (t == boolean.class) {
      // Alone a boolean is always valid; the one rule that involves one (blockNesterov needs blockMomentum > 0)
      // spans two keys and is checked when the configuration is built for fit, whatever order they were set in.
      return new BooleanParam(owner, k.name(), doc);
    } else if (t == List.class) {
      return new IntArrayParam(owner, k.name(), doc, new Valid<>(k));
    } else if (t.isEnum()) {
      return new Param<String>(owner, k.name(), doc, new Valid<>(k));
    }
    throw new IllegalStateException("no Spark param type for config key " + k.dotted() + " of type " + t);
  }

  /**
   * The configuration the params' values give: conf/default.yaml's tree with every param's value
   * (set or default) put in, bound to the records.
   *
   * @throws IllegalArgumentException naming the key, when the records refuse the combination
   */
  static SitterConfig config(Params owner, Map<String, Param<?>> params) {
    ObjectNode tree = ConfigLoader.toTree(DEFAULTS);
    for (Key k : KEYS) {
      ((ObjectNode) tree.get(k.section())).set(k.name(), toJson(owner.getOrDefault(params.get(k.name()))));
    }
    return bind(tree);
  }

  private static SitterConfig bind(ObjectNode tree) {
    try {
      return ConfigLoader.bind(tree);
    } catch (BadInputException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  static JsonNode toJson(Object value) {
    if (value instanceof int[] a) {
      ArrayNode n = JSON.createArrayNode();
      for (int v : a) {
        n.add(v);
      }
      return n;
    }
    return JSON.valueToTree(value);
  }

  private static Object fromJson(Key k, JsonNode n) {
    Class<?> t = k.type();
    if (t == int.class) {
      return n.intValue();
    } else if (t == long.class) {
      return n.longValue();
    } else if (t == double.class) {
      return n.doubleValue();
    } else if (t == boolean.class) {
      return n.booleanValue();
    } else if (t == List.class) {
      int[] a = new int[n.size()];
      for (int i = 0; i < a.length; i++) {
        a[i] = n.get(i).intValue();
      }
      return a;
    }
    return n.textValue();
  }

  /**
   * A param's check: the value put into conf/default.yaml's tree and bound to the records, whose
   * constructors throw the message (the key, the allowed range, the value). Serializable, as params
   * travel with their owner.
   */
  static final class Valid<T> extends AbstractFunction1<T, Object> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Key key;

    Valid(Key key) {
      this.key = key;
    }

    @Override
    public Object apply(T value) {
      ObjectNode tree = ConfigLoader.toTree(DEFAULTS);
      ((ObjectNode) tree.get(key.section())).set(key.name(), toJson(value));
      bind(tree);
      return Boolean.TRUE;
    }
  }
}
