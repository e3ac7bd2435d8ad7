package io.sitter.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sitter.config.ConfigLoader;
import io.sitter.config.SitterConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NetworkPayloadTest {
  @Test
  void rebuiltNetworkGivesTheSameOutputsAfterJavaSerialization() throws Exception {
    SitterConfig c = ConfigLoader.defaults(java.util.List.of("model.hiddenLayers=[16, 8]"));
    MultiLayerNetwork net = NetworkFactory.build(c.model(), c.train(), 5, 3, 11);
    INDArray x = Nd4j.rand(DataType.FLOAT, 7, 5);
    net.fit(x, Nd4j.eye(3).getRows(0, 1, 2, 0, 1, 2, 0).castTo(DataType.FLOAT)); // move BN running stats off their init

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(NetworkPayload.of(net));
    }
    NetworkPayload back;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = (NetworkPayload) in.readObject();
    }
    MultiLayerNetwork rebuilt = back.toNetwork();
    assertEquals(net.numParams(), rebuilt.numParams());
    assertArrayEquals(net.params().data().asFloat(), rebuilt.params().data().asFloat());
    assertArrayEquals(net.output(x, false).data().asFloat(), rebuilt.output(x, false).data().asFloat(), 0f);
  }
}
