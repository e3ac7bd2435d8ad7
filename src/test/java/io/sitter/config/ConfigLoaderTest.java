package io.sitter.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sitter.TestFiles;
import io.sitter.storage.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  @Test
  void defaultsMatchTheDocumentedNetwork() {
    SitterConfig c = ConfigLoader.defaults();
    assertEquals(List.of(256, 256), c.model().hiddenLayers());
    assertTrue(c.model().batchNorm());
    assertEquals(ModelConfig.Activation.RELU, c.model().activation());
    assertEquals(ModelConfig.WeightInit.HE, c.model().weightInit());
    assertEquals(TrainConfig.Updater.ADAM, c.train().updater());
    assertEquals(1e-3, c.train().learningRate());
    assertEquals(128, c.train().minibatchSize());
    assertEquals(3.0, c.babysit().abortLossFactor());
  }

  @Test
  void userFileMergesOverDefaultsAndSetWinsOverFile() throws Exception {
    Path user = dir.resolve("user.yaml");
    Files.writeString(user, "train:\n  learningRate: 0.01\n  epochs: 3\nmodel:\n  activation: tanh\n");
    SitterConfig c = ConfigLoader.load(Storage.local(), List.of(TestFiles.hadoop(user)), List.of("train.epochs=7", "model.hiddenLayers=[64, 32, 16]"));
    assertEquals(0.01, c.train().learningRate());
    assertEquals(7, c.train().epochs());
    assertEquals(ModelConfig.Activation.TANH, c.model().activation());
    assertEquals(List.of(64, 32, 16), c.model().hiddenLayers());
    assertEquals(128, c.train().minibatchSize(), "untouched keys keep their defaults");
  }

  @Test
  void aFileUriLoadsWhatThePlainPathLoads() throws Exception {
    Path user = dir.resolve("user.yaml");
    Files.writeString(user, "train:\n  learningRate: 0.02\n");
    Storage storage = Storage.local();
    SitterConfig viaUri = ConfigLoader.load(storage, List.of(storage.resolve("--config", "file://" + user)), List.of("train.epochs=2"));
    assertEquals(ConfigLoader.load(Storage.local(), List.of(TestFiles.hadoop(user)), List.of("train.epochs=2")), viaUri);
    assertEquals(0.02, viaUri.train().learningRate());
  }

  @Test
  void savedJsonBindsBackToTheSameConfig() {
    SitterConfig c = ConfigLoader.defaults(List.of("train.updater=nesterovs", "model.dropout=0.25"));
    assertEquals(c, ConfigLoader.bind(ConfigLoader.toTree(c)));
    assertTrue(ConfigLoader.toJson(c).contains("\"updater\" : \"nesterovs\""));
  }

  @Test
  void unknownKeyInFileIsNamedWithTheFile() throws Exception {
    Path user = dir.resolve("typo.yaml");
    Files.writeString(user, "train:\n  learningRat: 0.01\n");
    BadInputException e = assertThrows(BadInputException.class, () -> ConfigLoader.load(Storage.local(), List.of(TestFiles.hadoop(user)), List.of()));
    assertTrue(e.getMessage().contains("train.learningRat"), e.getMessage());
    assertTrue(e.getMessage().contains("typo.yaml"), e.getMessage());
  }

  @Test
  void unknownSectionAndUnknownSetKeyAreErrors() {
    BadInputException e = assertThrows(BadInputException.class, () -> ConfigLoader.defaults(List.of("nope.x=1")));
    assertTrue(e.getMessage().contains("nope.x"), e.getMessage());
    e = assertThrows(BadInputException.class, () -> ConfigLoader.defaults(List.of("train=1")));
    assertTrue(e.getMessage().contains("section"), e.getMessage());
  }

  @Test
  void outOfRangeValueNamesKeyRangeAndValue() {
    BadInputException e = assertThrows(BadInputException.class, () -> ConfigLoader.defaults(List.of("train.learningRate=0")));
    assertTrue(e.getMessage().contains("train.learningRate must be in (0, 10.0], got 0.0"), e.getMessage());
    e = assertThrows(BadInputException.class, () -> ConfigLoader.defaults(List.of("model.activation=softplus")));
    assertTrue(e.getMessage().contains("model.activation must be one of [relu, leakyrelu, elu, tanh, sigmoid]"), e.getMessage());
    e = assertThrows(BadInputException.class, () -> ConfigLoader.defaults(List.of("model.hiddenLayers=[10, 0]")));
    assertTrue(e.getMessage().contains("model.hiddenLayers[1] must be >= 1"), e.getMessage());
  }

  @Test
  void warmUpIsOffByDefaultAndANegativeLengthNamesTheKey() {
    assertEquals(0, ConfigLoader.defaults().train().warmupIterations());
    BadInputException e = assertThrows(BadInputException.class, () -> ConfigLoader.defaults(List.of("train.warmupIterations=-1")));
    assertTrue(e.getMessage().contains("train.warmupIterations must be >= 0, got -1"), e.getMessage());
    assertEquals(500, ConfigLoader.defaults(List.of("train.warmupIterations=500")).train().warmupIterations());
  }

  @Test
  void blockMomentumSettingsAreRangeCheckedAndNesterovNeedsMomentum() {
    BadInputException e = assertThrows(BadInputException.class, () -> ConfigLoader.defaults(List.of("train.blockMomentum=1")));
    assertTrue(e.getMessage().contains("train.blockMomentum must be in [0.0, 1.0), got 1.0"), e.getMessage());
    e = assertThrows(BadInputException.class, () -> ConfigLoader.defaults(List.of("train.blockLearningRate=0")));
    assertTrue(e.getMessage().contains("train.blockLearningRate must be in (0, 10.0], got 0.0"), e.getMessage());
    e = assertThrows(BadInputException.class,
        () -> ConfigLoader.defaults(List.of("train.blockNesterov=true", "train.blockMomentum=0")));
    assertTrue(e.getMessage().contains("train.blockNesterov needs train.blockMomentum > 0"), e.getMessage());
    SitterConfig c = ConfigLoader.defaults(List.of("train.blockNesterov=true", "train.blockMomentum=0.5"));
    assertEquals(0.5, c.train().blockMomentum());
    assertTrue(c.train().blockNesterov());
  }

  @Test
  void wrongTypeNamesTheKey() {
    BadInputException e = assertThrows(BadInputException.class, () -> ConfigLoader.defaults(List.of("train.epochs=ten")));
    assertTrue(e.getMessage().contains("train.epochs"), e.getMessage());
    e = assertThrows(BadInputException.class, () -> ConfigLoader.defaults(List.of("train.epochs=")));
    assertTrue(e.getMessage().contains("train.epochs"), e.getMessage());
  }

  @Test
  void missingFileIsBadInput() {
    BadInputException e = assertThrows(BadInputException.class, () -> ConfigLoader.load(Storage.local(), List.of(TestFiles.hadoop(dir.resolve("none.yaml"))), List.of()));
    assertTrue(e.getMessage().contains("none.yaml"));
    assertFalse(e.getMessage().isBlank());
  }

  @Test
  void overrideAppliesOverAnExistingConfigAndStillValidates() {
    SitterConfig base = ConfigLoader.defaults(List.of("train.epochs=4"));
    SitterConfig c = ConfigLoader.override(base, List.of("train.learningRate=0.05"));
    assertEquals(4, c.train().epochs());
    assertEquals(0.05, c.train().learningRate());
    assertThrows(BadInputException.class, () -> ConfigLoader.override(base, List.of("train.epochs=0")));
  }

  @Test
  void aSavedConfigWithoutNewerBabysitKeysBindsWithTheirDefaultsAndKeepsTheKeysItHas() {
    SitterConfig run = ConfigLoader.defaults(List.of("train.epochs=3", "babysit.abortLossFactor=4"));
    com.fasterxml.jackson.databind.node.ObjectNode saved = ConfigLoader.toTree(run);
    com.fasterxml.jackson.databind.node.ObjectNode babysit = (com.fasterxml.jackson.databind.node.ObjectNode) saved.get("babysit");
    // a run written before these keys existed
    babysit.remove(List.of("warmupShare", "minJudgedRounds", "chanceAlpha", "vanishingGradientRatio"));
    assertThrows(BadInputException.class, () -> ConfigLoader.bind(saved), "the plain binder wants every key");
    SitterConfig resumed = ConfigLoader.bindSaved(saved);
    assertEquals(run, resumed, "missing babysit keys take the defaults, present ones keep their saved values");
    assertEquals(4.0, resumed.babysit().abortLossFactor());
    assertEquals(ConfigLoader.defaults().babysit().warmupShare(), resumed.babysit().warmupShare());
    assertTrue(saved.get("babysit").get("warmupShare") == null, "the saved tree itself is not changed");

    // only babysit keys are filled: a missing model or train key is still a bad configuration
    com.fasterxml.jackson.databind.node.ObjectNode noEpochs = ConfigLoader.toTree(run);
    ((com.fasterxml.jackson.databind.node.ObjectNode) noEpochs.get("train")).remove("epochs");
    assertThrows(BadInputException.class, () -> ConfigLoader.bindSaved(noEpochs));
    // and a saved run with no babysit section at all takes every babysit default
    com.fasterxml.jackson.databind.node.ObjectNode noBabysit = ConfigLoader.toTree(run);
    noBabysit.remove("babysit");
    assertEquals(ConfigLoader.defaults().babysit(), ConfigLoader.bindSaved(noBabysit).babysit());
  }

  @Test
  void aSavedConfigWithoutTheLaterSwitchedOffTrainKeysBindsAsPlainAveragingWithoutWarmUp() {
    // Filling these keys is only right while their defaults train as runs written before them did.
    TrainConfig defaults = ConfigLoader.defaults().train();
    assertEquals(0.0, defaults.blockMomentum());
    assertEquals(1.0, defaults.blockLearningRate());
    assertFalse(defaults.blockNesterov());
    assertEquals(0, defaults.warmupIterations());

    SitterConfig run = ConfigLoader.defaults(List.of("train.epochs=3", "train.learningRate=0.01"));
    com.fasterxml.jackson.databind.node.ObjectNode saved = ConfigLoader.toTree(run);
    ((com.fasterxml.jackson.databind.node.ObjectNode) saved.get("train")).remove(ConfigLoader.TRAIN_KEYS_ADDED_SWITCHED_OFF);
    assertThrows(BadInputException.class, () -> ConfigLoader.bind(saved), "the plain binder wants every key");
    assertEquals(run, ConfigLoader.bindSaved(saved));

    // a saved value of such a key is kept, not replaced by the default
    com.fasterxml.jackson.databind.node.ObjectNode warm = ConfigLoader.toTree(ConfigLoader.defaults(List.of("train.warmupIterations=50")));
    assertEquals(50, ConfigLoader.bindSaved(warm).train().warmupIterations());
  }
}
