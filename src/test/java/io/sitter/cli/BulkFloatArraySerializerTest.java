package io.sitter.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.DeserializationStream;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializationStream;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/** float[] through Spark's KryoSerializer configured as sitter configures it, compared bit for bit. */
class BulkFloatArraySerializerTest {
  private static final ClassTag<Object> ANY = ClassTag$.MODULE$.apply(Object.class);
  private static final int CHUNK = BulkFloatArraySerializer.CHUNK_FLOATS;

  private final KryoSerializer kryo = new KryoSerializer(
      SparkSessions.sitterConf(new SparkConf().setMaster("local[1]"), false).set("spark.kryo.registrationRequired", "true"));

  @Test
  void sitterRegistersTheBulkSerializerForFloatArrays() {
    assertInstanceOf(BulkFloatArraySerializer.class, kryo.newKryo().getSerializer(float[].class));
  }

  @Test
  void arraysOfEveryLengthAroundTheChunkSizeComeBackBitForBit() {
    SerializerInstance s = kryo.newInstance();
    for (int length : new int[] {0, 1, 7, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 5, 813_000}) {
      float[] values = values(length, length);
      float[] back = (float[]) s.deserialize(s.serialize(values, ANY), ANY);
      assertBitsEqual(values, back);
    }
  }

  @Test
  void specialValuesKeepTheirExactBits() {
    float[] values = {Float.NaN, Float.intBitsToFloat(0x7fc00001), -0.0f, 0.0f, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_NORMAL, Float.MAX_VALUE, 1.0e-40f};
    SerializerInstance s = kryo.newInstance();
    assertBitsEqual(values, (float[]) s.deserialize(s.serialize(values, ANY), ANY));
  }

  @Test
  void nullArraysInsideObjectsSurvive() {
    float[][] nested = {values(3, 1), null, new float[0], values(CHUNK + 2, 2)};
    SerializerInstance s = kryo.newInstance();
    float[][] back = (float[][]) s.deserialize(s.serialize(nested, ANY), ANY);
    assertEquals(4, back.length);
    assertBitsEqual(nested[0], back[0]);
    assertNull(back[1]);
    assertEquals(0, back[2].length);
    assertBitsEqual(nested[3], back[3]);
  }

  /**
   * Broadcasts and shuffles go through Spark's streams, whose Kryo buffers flush to and refill from
   * the underlying stream: several arrays larger than a chunk, read from a stream that hands out at
   * most 1000 bytes per call.
   */
  @Test
  void streamsThatFlushAndRefillMidArrayKeepEveryValue() throws IOException {
    SerializerInstance s = kryo.newInstance();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SerializationStream out = s.serializeStream(bytes);
    float[][] written = {values(5 * CHUNK + 3, 11), values(10, 12), values(2 * CHUNK, 13)};
    for (float[] v : written) {
      out.writeObject(v, ANY);
    }
    out.close();
    DeserializationStream in = s.deserializeStream(new Trickle(new ByteArrayInputStream(bytes.toByteArray()), 1000));
    for (float[] v : written) {
      assertBitsEqual(v, (float[]) in.readObject(ANY));
    }
    in.close();
  }

  /** The format on the wire: the values' little-endian IEEE bytes follow the header unchanged. */
  @Test
  void theSerializedBytesEndWithTheLittleEndianFloats() {
    float[] values = values(1000, 5);
    ByteBuffer serialized = kryo.newInstance().serialize(values, ANY);
    byte[] all = new byte[serialized.remaining()];
    serialized.get(all);
    ByteBuffer tail = ByteBuffer.wrap(all, all.length - 4 * values.length, 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      assertEquals(Float.floatToRawIntBits(v), tail.getInt());
    }
  }

  private static float[] values(int length, long seed) {
    Random r = new Random(seed);
    float[] v = new float[length];
    for (int i = 0; i < length; i++) {
      v[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(20) - 10));
    }
    return v;
  }

  private static void assertBitsEqual(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length);
    int[] e = new int[expected.length];
    int[] a = new int[actual.length];
    for (int i = 0; i < e.length; i++) {
      e[i] = Float.floatToRawIntBits(expected[i]);
      a[i] = Float.floatToRawIntBits(actual[i]);
    }
    assertArrayEquals(e, a);
  }

  /** Returns at most {@code max} bytes per read, as a network stream may. */
  private static final class Trickle extends FilterInputStream {
    private final int max;

    Trickle(InputStream in, int max) {
      super(in);
      this.max = max;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return super.read(b, off, Math.min(len, max));
    }
  }
}
