package io.sitter.model;

import java.util.Properties;
import org.bytedeco.javacpp.Pointer;

/**
 * A limit on the process's resident size, checked once per minibatch (or per inference batch)
 * instead of on every native allocation, with JavaCPP's own remedy and failure: above the limit,
 * collect garbage so unreachable ND4J buffers are freed, wait, look again, and after
 * {@code org.bytedeco.javacpp.maxretries} (default 10) tries throw {@code OutOfMemoryError("Physical
 * memory usage is too high ...")}, the text {@code cli.FailureHints} recognizes.
 *
 * <p>Why not JavaCPP's own check ({@code -Dorg.bytedeco.javacpp.maxphysicalbytes}): JavaCPP makes
 * it whenever it registers a native allocation (org.bytedeco.javacpp.Pointer#deallocator), by
 * reading /proc/self/statm inside a lock shared by all threads (javacpp issue #231, "Pointer.
 * deallocator is a performance killer"), and ND4J 1.0.0-M2.1 registers one for the shape
 * information of every array it creates, hundreds per minibatch. In a JFR profile of K=5 training
 * in local[2] that read was 6.5% of a task's samples; with the check off a task's 5 minibatches
 * took 44 instead of 56 ms (medians of 5 paired runs). A minibatch is the unit in which ND4J's
 * memory grows and becomes garbage, so checking between minibatches keeps what the limit is for
 * (reclaim before the container is killed, else fail with a message) at one read per minibatch.
 *
 * <p>Active only when JavaCPP's own check is off ({@code org.bytedeco.javacpp.maxphysicalbytes=0})
 * and {@value #PROPERTY} names the limit, which is how scripts/sitter and {@code SparkSessions}
 * start JVMs; a JVM where JavaCPP checks itself (its default, or a user's explicit limit) is left
 * to JavaCPP.
 */
public final class NativeMemoryLimit {
  /** The system property holding the limit, in JavaCPP's notation (e.g. {@code 5632m}, {@code 8g}). */
  public static final String PROPERTY = "sitter.maxphysicalbytes";

  private static final NativeMemoryLimit PROCESS = fromSystemProperties();

  private final long maxBytes;
  private final int retries;
  private final long waitMillis;

  NativeMemoryLimit(long maxBytes, int retries, long waitMillis) {
    if (maxBytes < 0 || retries < 0 || waitMillis < 0) {
      throw new IllegalArgumentException("limit " + maxBytes + ", retries " + retries + ", wait " + waitMillis);
    }
    this.maxBytes = maxBytes;
    this.retries = retries;
    this.waitMillis = waitMillis;
  }

  /** Checks this JVM's resident size against its limit, if sitter's limit is the one in force. */
  public static void check() {
    PROCESS.checkNow();
  }

  /** The limit in force in this JVM, in bytes; 0 when JavaCPP checks itself or no limit is set. */
  public static long maxBytes() {
    return PROCESS.maxBytes;
  }

  private static NativeMemoryLimit fromSystemProperties() {
    return of(System.getProperties(), Pointer.maxPhysicalBytes());
  }

  /** The limit given {@code properties} and the limit JavaCPP itself enforces (0 = none). */
  static NativeMemoryLimit of(Properties properties, long javacppMaxPhysicalBytes) {
    String limit = properties.getProperty(PROPERTY, "").strip();
    int retries = Integer.parseInt(properties.getProperty("org.bytedeco.javacpp.maxretries", "10").strip());
    if (javacppMaxPhysicalBytes > 0 || limit.isEmpty()) {
      return new NativeMemoryLimit(0, retries, 100);
    }
    long bytes;
    try {
      bytes = Pointer.parseBytes(limit, Runtime.getRuntime().maxMemory());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + PROPERTY + "=" + limit + " is not a size such as 5632m or 8g", e);
    }
    return new NativeMemoryLimit(bytes, retries, 100);
  }

  long limit() {
    return maxBytes;
  }

  void checkNow() {
    if (maxBytes == 0) {
      return;
    }
    long resident = Pointer.physicalBytesInaccurate(maxBytes);
    int collections = 0;
    while (resident > maxBytes && collections < retries) {
      System.gc(); // ND4J's and JavaCPP's deallocators free unreachable buffers once GC finds them
      collections++;
      try {
        Thread.sleep(waitMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      resident = Pointer.physicalBytes();
    }
    if (resident > maxBytes) {
      throw new OutOfMemoryError("Physical memory usage is too high: physicalBytes (" + Pointer.formatBytes(resident)
          + ") > maxPhysicalBytes (" + Pointer.formatBytes(maxBytes) + "), -D" + PROPERTY + ", checked between minibatches, after "
          + collections + " garbage collections");
    }
  }
}
