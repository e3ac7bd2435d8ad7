package io.sitter.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The minified Apache ECharts script, read from the {@code org.webjars:echarts} jar on the
 * classpath so report.html can inline it: the page then opens offline and fetches nothing.
 * The version is the one the pom resolved, filtered into {@code io/sitter/versions.properties}.
 */
final class ChartLibrary {
  private static volatile String script;

  private ChartLibrary() {}

  static String version() {
    Properties p = new Properties();
    try (InputStream in = ChartLibrary.class.getResourceAsStream("/io/sitter/versions.properties")) {
      if (in == null) {
        throw new IllegalStateException("io/sitter/versions.properties is not on the classpath");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String v = p.getProperty("echarts");
    if (v == null || v.isBlank() || v.contains("${")) {
      throw new IllegalStateException("io/sitter/versions.properties has no filtered 'echarts' version: " + v);
    }
    return v;
  }

  /** echarts.min.js; the full build, because the page uses the heatmap and visualMap the 'common' build lacks. */
  static String script() {
    String s = script;
    if (s == null) {
      s = resource("/META-INF/resources/webjars/echarts/" + version() + "/echarts.min.js");
      script = s;
    }
    return s;
  }

  static String resource(String path) {
    try (InputStream in = ChartLibrary.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is not on the classpath (is org.webjars:echarts in the jar?)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(path, e);
    }
  }
}
