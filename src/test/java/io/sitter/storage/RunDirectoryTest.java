package io.sitter.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sitter.config.BadInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
  @TempDir java.nio.file.Path tmp;

  private final Storage local = Storage.local();
  private final Storage objectStore = Storage.of(ObjectStoreLikeFileSystem.configuration());

  @AfterEach
  void noMoreKills() {
    ObjectStoreLikeFileSystem.CREATES_BEFORE_KILL.set(-1);
  }

  private static ObjectNode state(int epoch) {
    // Every number a checkpoint's state must hold to be read back (a state without them is damaged).
    ObjectNode s = new ObjectMapper().createObjectNode();
    s.put("epoch", epoch).put("round", 10 * epoch).put("iteration", 100 * epoch).put("examples_seen", 1000 * epoch)
        .put("initial_loss", 2.3).put("partitions", 2).put("averaging_frequency", 5).put("seed", 7);
    return s;
  }

  private static CommittedFiles.Content bytes(String text) {
    return out -> out.write(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(java.io.InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void theLatestCompleteCheckpointWinsOnBothSchemes() {
    for (Storage storage : List.of(local, objectStore)) {
      String prefix = storage == local ? "" : ObjectStoreLikeFileSystem.SCHEME + "://";
      RunDirectory run = RunDirectory.at(storage, storage.resolve("--out", prefix + tmp.resolve(storage == local ? "a" : "b")));
      run.writeCheckpoint(1, state(1), bytes("model 1"));
      run.writeCheckpoint(2, state(2), bytes("model 2"));
      run.writeCheckpoint(2, state(2), bytes("model 2 again")); // a resumed run redoing epoch 2
      RunDirectory.Checkpoint c = run.latestCheckpoint().orElseThrow();
      assertEquals(2, c.epoch());
      assertEquals("model 2 again", run.readModel(c, RunDirectoryTest::text));
    }
  }

  @Test
  void aCheckpointKilledWhileReplacingItsEpochIsPutBackWhenTheRunResumes() throws Exception {
    RunDirectory run = RunDirectory.at(local, local.resolve("--out", tmp.resolve("r").toString()));
    run.writeCheckpoint(1, state(1), bytes("model 1"));
    run.writeCheckpoint(2, state(2), bytes("model 2"));
    CommittedFiles.betweenRenames = () -> {
      throw new IllegalStateException("killed");
    };
    try {
      assertThrows(IllegalStateException.class, () -> run.writeCheckpoint(2, state(2), bytes("model 2 again")));
    } finally {
      CommittedFiles.betweenRenames = () -> {};
    }
    assertTrue(Files.notExists(tmp.resolve("r/checkpoints/epoch-0002")), "the kill left epoch 2 aside");
    RunDirectory.Checkpoint c = run.latestCheckpoint().orElseThrow();
    assertEquals(2, c.epoch(), "the complete epoch 2 is back, not epoch 1");
    assertEquals("model 2", run.readModel(c, RunDirectoryTest::text));
    try (var names = Files.list(tmp.resolve("r/checkpoints"))) {
      assertEquals(List.of("epoch-0001", "epoch-0002"),
          names.map(p -> p.getFileName().toString()).filter(n -> !n.contains(".tmp-")).sorted().toList());
    }
  }

  @Test
  void aCheckpointKilledBeforeItsStateIsCommittedIsIgnoredOnAnObjectStore() {
    RunDirectory run = RunDirectory.at(objectStore, objectStore.resolve("--out", ObjectStoreLikeFileSystem.SCHEME + "://" + tmp.resolve("run")));
    run.writeCheckpoint(1, state(1), bytes("model 1"));
    // epoch 2: model.zip and its marker are written (2 creates), then state.json dies half written
    ObjectStoreLikeFileSystem.CREATES_BEFORE_KILL.set(2);
    assertThrows(RuntimeException.class, () -> run.writeCheckpoint(2, state(2), bytes("model 2")));
    assertTrue(Files.exists(tmp.resolve("run/checkpoints/epoch-0002/model.zip")));
    assertEquals(1, run.latestCheckpoint().orElseThrow().epoch());
  }

  @Test
  void aCheckpointThatFailsLeavesNoStagingOnALocalDisk() throws Exception {
    RunDirectory run = RunDirectory.at(local, local.resolve("--out", tmp.resolve("run").toString()));
    run.writeCheckpoint(1, state(1), bytes("model 1"));
    assertThrows(RuntimeException.class, () -> run.writeCheckpoint(2, state(2), out -> {
      out.write(1);
      throw new IOException("disk full");
    }));
    try (var names = Files.list(tmp.resolve("run/checkpoints"))) {
      assertEquals(List.of("epoch-0001"), names.map(p -> p.getFileName().toString()).toList());
    }
    assertEquals(1, run.latestCheckpoint().orElseThrow().epoch());
  }

  @Test
  void anExistingDirectoryIsReplacedOnlyWithOverwriteAndOnlyWhenItIsARun() throws Exception {
    Path out = local.resolve("--out", tmp.resolve("run").toString());
    RunDirectory run = RunDirectory.at(local, out);
    run.prepareNew("--out", false);
    run.writeConfig(state(0));
    BadInputException exists = assertThrows(BadInputException.class, () -> run.checkNew("--out", false));
    assertTrue(exists.getMessage().contains("--overwrite"), exists.getMessage());
    run.prepareNew("--out", true);
    assertEquals(List.of(), run.names(), "replaced by an empty directory");

    Files.createDirectories(tmp.resolve("home"));
    Files.writeString(tmp.resolve("home/notes.txt"), "mine");
    RunDirectory home = RunDirectory.at(local, local.resolve("--out", tmp.resolve("home").toString()));
    BadInputException notARun = assertThrows(BadInputException.class, () -> home.prepareNew("--out", true));
    assertTrue(notARun.getMessage().contains("not a sitter run directory"), notARun.getMessage());
    assertEquals("mine", Files.readString(tmp.resolve("home/notes.txt")));
  }
}
