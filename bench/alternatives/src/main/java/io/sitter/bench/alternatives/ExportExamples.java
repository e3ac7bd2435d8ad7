package io.sitter.bench.alternatives;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.spark.sql.SparkSession;

/**
 * Writes the prep directory's train and test splits as raw little-endian arrays, in the row-index
 * order every other contestant reads ({@link PreparedExamples}), so the PyTorch contestant trains
 * on exactly the same examples without a Parquet reader: {@code SPLIT-x.f32} (rows x features),
 * {@code SPLIT-y.i32} and {@code SPLIT.shape} ("rows features").
 *
 * <pre>ExportExamples PREP_DIR OUT_DIR</pre>
 */
public final class ExportExamples {
  private ExportExamples() {}

  public static void main(String[] args) throws IOException {
    Path prep = Path.of(args[0]);
    Path out = Files.createDirectories(Path.of(args[1]));
    SparkSession spark = Contestants.session("export", false);
    for (String split : new String[] {"train", "test"}) {
      PreparedExamples e = PreparedExamples.read(spark, prep, split);
      ByteBuffer x = ByteBuffer.allocate(e.features.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      x.asFloatBuffer().put(e.features);
      write(out.resolve(split + "-x.f32"), x);
      ByteBuffer y = ByteBuffer.allocate(e.labels.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      y.asIntBuffer().put(e.labels);
      write(out.resolve(split + "-y.i32"), y);
      Files.writeString(out.resolve(split + ".shape"), e.size + " " + e.numFeatures + "\n");
    }
    spark.stop();
  }

  private static void write(Path file, ByteBuffer b) throws IOException {
    try (FileChannel c = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      while (b.hasRemaining()) {
        c.write(b);
      }
    }
  }
}
