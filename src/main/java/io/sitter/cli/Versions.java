package io.sitter.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/** Versions of sitter and the stack it was built against, for {@code --version} and run provenance. */
public final class Versions implements CommandLine.IVersionProvider {
  private static final Properties BUILT = load();

  public static String sitter() {
    return BUILT.getProperty("sitter");
  }

  /** The Spark actually running, which on a cluster may differ from the one built against. */
  public static String spark() {
    return org.apache.spark.package$.MODULE$.SPARK_VERSION();
  }

  public static String dl4j() {
    return BUILT.getProperty("dl4j");
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "sitter " + sitter(), "Spark " + spark() + " (built against " + BUILT.getProperty("spark") + ")",
      "DL4J/ND4J " + dl4j(), "Java " + System.getProperty("java.version")
    };
  }

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = Versions.class.getResourceAsStream("/io/sitter/versions.properties")) {
      if (in == null) {
        throw new IllegalStateException("io/sitter/versions.properties is not on the classpath");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }
}
