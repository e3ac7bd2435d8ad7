package io.sitter.cli;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Kryo serializer for {@code float[]} that copies the values in bulk: the length (plus one, 0 for
 * null, as Kryo's own array serializers write it), then the floats as little-endian bytes.
 *
 * <p>Every training round moves the network as float arrays three times: the driver's broadcast
 * (serialized once per round into TorrentBroadcast's blocks) and each task's result, serialized on
 * the executor and read back on the driver; 3.3 MB per partition for the default network with
 * Adam. Kryo 4's own {@code FloatArraySerializer} (Spark's Kryo, unless {@code spark.kryo.unsafe})
 * writes and reads element by element ({@code Output.writeFloat}: a bounds check and four byte
 * stores each). Measured on 271,370 + 542,740 floats with Spark's KryoSerializer: 2.0 ms to
 * serialize and 1.2 ms to read back; a {@link FloatBuffer} bulk copy of the same bytes takes 0.07 ms.
 * Chunked through a small buffer so no second array of the payload's size is allocated.
 *
 * <p>One instance per {@link Kryo} (the registrator runs for each), and Spark uses a Kryo from one
 * thread at a time, so the chunk buffer is not shared between threads.
 */
final class BulkFloatArraySerializer extends Serializer<float[]> {
  /** 64 KiB: small enough to stay in cache, large enough that per-chunk calls do not matter. */
  static final int CHUNK_FLOATS = 16 * 1024;

  private final byte[] chunk = new byte[CHUNK_FLOATS * Float.BYTES];
  private final FloatBuffer chunkFloats = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();

  BulkFloatArraySerializer() {
    setAcceptsNull(true);
  }

  @Override
  public void write(Kryo kryo, Output output, float[] values) {
    if (values == null) {
      output.writeVarInt(0, true);
      return;
    }
    output.writeVarInt(values.length + 1, true);
    for (int from = 0; from < values.length; from += CHUNK_FLOATS) {
      int n = Math.min(CHUNK_FLOATS, values.length - from);
      chunkFloats.clear();
      chunkFloats.put(values, from, n);
      output.writeBytes(chunk, 0, n * Float.BYTES);
    }
  }

  @Override
  public float[] read(Kryo kryo, Input input, Class<float[]> type) {
    int lengthPlusOne = input.readVarInt(true);
    if (lengthPlusOne == 0) {
      return null;
    }
    float[] values = new float[lengthPlusOne - 1];
    for (int from = 0; from < values.length; from += CHUNK_FLOATS) {
      int n = Math.min(CHUNK_FLOATS, values.length - from);
      input.readBytes(chunk, 0, n * Float.BYTES);
      chunkFloats.clear();
      chunkFloats.get(values, from, n);
    }
    return values;
  }

  @Override
  public float[] copy(Kryo kryo, float[] original) {
    return original.clone();
  }
}
