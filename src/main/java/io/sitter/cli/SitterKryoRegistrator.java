package io.sitter.cli;

import com.esotericsoftware.kryo.Kryo;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Registers every class sitter ships between driver and executors, so Kryo writes a small id
 * instead of the class name and tests can run with {@code spark.kryo.registrationRequired=true}.
 *
 * <p>Records must be registered with Kryo's {@code JavaSerializer}: Spark's Kryo 4 sets final
 * fields by reflection, which Java 17 refuses for record components.
 */
public final class SitterKryoRegistrator implements KryoRegistrator {
  @Override
  public void registerClasses(Kryo kryo) {
    kryo.register(float[].class);
    kryo.register(float[][].class);
    kryo.register(double[].class);
    kryo.register(double[][].class);
    kryo.register(long[].class);
    kryo.register(int[].class);
    kryo.register(int[][].class);
    kryo.register(String[].class);
    kryo.register(Object[].class);
    kryo.register(long[][].class);
    // serve: the evaluated model's broadcast and the per-partition evaluation counts.
    kryo.register(io.sitter.model.NetworkPayload.class);
    kryo.register(io.sitter.metrics.EvaluationAccumulator.class);
  }

  /** Registers a Spark or Scala class by name (many are private), failing loudly if it is gone. */
  static void registerByName(Kryo kryo, String className) {
    try {
      kryo.register(Class.forName(className, false, SitterKryoRegistrator.class.getClassLoader()));
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("Kryo registration: class " + className + " not found", e);
    }
  }
}
