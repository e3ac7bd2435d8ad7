package io.sitter.model;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class NativeMemoryLimitTest {
  /** This process's resident size as the kernel reports it (second field of statm, in pages). */
  private static long residentBytes() throws IOException {
    String[] fields = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
    return Long.parseLong(fields[1]) * 4096;
  }

  private static Properties props(String... keyValues) {
    Properties p = new Properties();
    for (int i = 0; i < keyValues.length; i += 2) {
      p.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return p;
  }

  @Test
  void sittersLimitIsInForceOnlyWhenJavacppChecksNothing() {
    assertEquals(5632L << 20, NativeMemoryLimit.of(props(NativeMemoryLimit.PROPERTY, "5632m"), 0).limit());
    assertEquals(8L << 30, NativeMemoryLimit.of(props(NativeMemoryLimit.PROPERTY, " 8g "), 0).limit());
    assertEquals(0, NativeMemoryLimit.of(props(NativeMemoryLimit.PROPERTY, "8g"), 6L << 30).limit(),
        "JavaCPP enforces its own limit: not checked twice");
    assertEquals(0, NativeMemoryLimit.of(props(), 0).limit(), "no limit named, none enforced");
  }

  @Test
  void aLimitThatIsNoSizeIsRejectedNamingTheProperty() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NativeMemoryLimit.of(props(NativeMemoryLimit.PROPERTY, "lots"), 0));
    assertTrue(e.getMessage().contains("-Dsitter.maxphysicalbytes=lots"), e.getMessage());
  }

  @Test
  void aResidentSizeAboveTheLimitFailsAfterTheCollectionsWithJavacppsText() throws IOException {
    long resident = residentBytes();
    NativeMemoryLimit limit = new NativeMemoryLimit(resident / 2, 2, 1);
    OutOfMemoryError e = assertThrows(OutOfMemoryError.class, limit::checkNow);
    assertTrue(e.getMessage().startsWith("Physical memory usage is too high: physicalBytes ("), e.getMessage());
    assertTrue(e.getMessage().contains("after 2 garbage collections"), e.getMessage());
  }

  @Test
  void aResidentSizeBelowTheLimitPasses() throws IOException {
    long resident = residentBytes();
    assertDoesNotThrow(new NativeMemoryLimit(resident * 2 + (1L << 30), 0, 0)::checkNow);
    assertDoesNotThrow(new NativeMemoryLimit(0, 0, 0)::checkNow, "0 is no limit");
  }
}
