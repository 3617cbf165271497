package org.tuninglab.lesson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.train.DpoConfig;
import org.tuninglab.train.SftConfig;

class LabTest {

  private static final Path HERE = Path.of("").toAbsolutePath();

  @Test
  void theDefaultIsTheEmbeddedModelOnTheCpuFoundFromAnyFolderOfTheCheckout() {
    Lab lab = Lab.choose(Lab.EMBEDDED, "cpu", Map.of(), HERE.resolve("src/test"));
    assertTrue(lab.embedded());
    assertEquals(Device.cpu(), lab.djlDevice());
    assertTrue(Files.isRegularFile(Path.of(lab.modelPath()).resolve("config.json")), lab.modelPath());
    assertEquals("model models/tuninglab-tiny (embedded) on cpu", lab.toString());
    assertEquals(lab.root(), Lab.findRoot(lab.root().resolve("notebooks/solutions")));
  }

  @Test
  void environmentVariablesOverrideTheCellSoABatchRunSwitchesEveryNotebook() {
    Lab lab = Lab.choose(Lab.EMBEDDED, "cpu",
        Map.of("TUNINGLAB_MODEL", "Qwen/Qwen2.5-0.5B-Instruct", "TUNINGLAB_DEVICE", "GPU"), HERE);
    assertFalse(lab.embedded());
    assertEquals("Qwen/Qwen2.5-0.5B-Instruct", lab.modelPath());
    assertEquals("gpu", lab.device());
    assertEquals(Lab.EMBEDDED, Lab.choose(Lab.EMBEDDED, "cpu", Map.of("TUNINGLAB_MODEL", " "), HERE).model());
  }

  @Test
  void aBadChoiceFailsInTheFirstCellWithWhatToDo() {
    var device = assertThrows(IllegalArgumentException.class, () -> Lab.choose(Lab.EMBEDDED, "cuda", Map.of(), HERE));
    assertTrue(device.getMessage().contains("expected cpu, gpu or gpu(N)"), device.getMessage());
    var gpu = assertThrows(IllegalStateException.class, () -> Lab.choose(Lab.EMBEDDED, "gpu(7)", Map.of(), HERE).djlDevice());
    assertTrue(gpu.getMessage().contains("choose \"cpu\""), gpu.getMessage());
    var root = assertThrows(IllegalStateException.class, () -> Lab.findRoot(Path.of("/")));
    assertTrue(root.getMessage().contains("start Jupyter inside the checkout"), root.getMessage());
  }

  @Test
  void aPresetWithOverridesIsWrittenWithAbsolutePathsAndLoadsAsTheTrainCommandWouldRunIt(@TempDir Path dir) throws Exception {
    Lab lab = Lab.choose(Lab.EMBEDDED, "cpu", Map.of(), HERE);
    Path file = dir.resolve("sub/config.yaml");
    SftConfig config = lab.config(lab.preset("lora"), Map.of("lr", 0.01, "lora_r", 4, "max_steps", 3), file);
    assertEquals(0.01, config.trainer().lr());
    assertEquals(3, config.trainer().maxSteps());
    assertEquals(4, config.lora().r());
    assertEquals(lab.path("datasets/entities/entities.jsonl"), config.data().trainFile());
    assertEquals(lab.modelPath(), config.model());
    assertTrue(Files.readString(file).startsWith("# " + lab.preset("lora")), Files.readString(file));
    var missing = assertThrows(IllegalArgumentException.class, () -> lab.preset("dpo"));
    assertTrue(missing.getMessage().contains("tuninglab-tiny-dpo.yaml"), missing.getMessage());
  }

  @Test
  void aHubModelReplacesThePresetsModel(@TempDir Path dir) {
    Lab lab = new Lab("Qwen/Qwen2.5-0.5B-Instruct", "cpu", Lab.findRoot(HERE));
    SftConfig config = lab.config(lab.preset("full"), Map.of(), dir.resolve("c.yaml"));
    assertEquals("Qwen/Qwen2.5-0.5B-Instruct", config.model());
  }

  @Test
  void aDpoPresetIsDerivedTheSameWayAndAnotherModelStartsDpoFromItself(@TempDir Path dir) {
    Lab lab = Lab.choose(Lab.EMBEDDED, "cpu", Map.of(), HERE);
    Path preset = lab.path("configs/tuninglab-tiny-dpo-lora.yaml");
    DpoConfig dpo = lab.dpoConfig(preset, Map.of("beta", 0.1), dir.resolve("dpo.yaml"));
    assertEquals(0.1, dpo.loss().beta());
    assertEquals(lab.path("datasets/preferences/train.jsonl"), dpo.data().trainFile());
    assertEquals(lab.path("runs/tuninglab-tiny-full/final").toString(), dpo.model());
    Lab hub = new Lab("Qwen/Qwen2.5-0.5B-Instruct", "cpu", lab.root());
    assertEquals("Qwen/Qwen2.5-0.5B-Instruct", hub.dpoConfig(preset, Map.of(), dir.resolve("hub.yaml")).model());
  }

  @Test
  void aNotebookAndItsSolutionShareAFolderWithinOneWorkshopRunOnly(@TempDir Path tmp) throws Exception {
    Files.createDirectories(tmp.resolve(Lab.EMBEDDED_FOLDER));
    Files.createDirectories(tmp.resolve("configs"));
    Lab lab = new Lab(Lab.EMBEDDED, "cpu", tmp);
    Path shared = lab.sharedFolder("02-methods", "20261203-130000");
    assertEquals(shared, lab.sharedFolder("02-methods", "20261203-130000"));
    assertEquals(tmp.resolve("runs/notebooks/02-methods-workshop-20261203-130000"), shared);
    Path alone = lab.sharedFolder("02-methods", null);
    assertTrue(Files.isDirectory(alone) && !alone.equals(shared), alone.toString());
    assertThrows(IllegalArgumentException.class, () -> lab.sharedFolder("02-methods", "../elsewhere"));
  }

  @Test
  void aLaterNotebookFindsAnEarlierNotebooksSharedFolderWithoutCreatingOne(@TempDir Path tmp) throws Exception {
    Files.createDirectories(tmp.resolve(Lab.EMBEDDED_FOLDER));
    Files.createDirectories(tmp.resolve("configs"));
    Lab lab = new Lab(Lab.EMBEDDED, "cpu", tmp);
    assertTrue(lab.earlierSharedFolder("02-methods", "20261203-130000").isEmpty());
    assertFalse(Files.exists(tmp.resolve("runs")), "looking must not create a folder");
    Path shared = lab.sharedFolder("02-methods", "20261203-130000");
    assertEquals(shared, lab.earlierSharedFolder("02-methods", "20261203-130000").orElseThrow());
    assertTrue(lab.earlierSharedFolder("02-methods", "20261203-140000").isEmpty(), "another run's folder");
    assertTrue(lab.earlierSharedFolder("02-methods", null).isEmpty(), "outside a workshop run");
    assertThrows(IllegalArgumentException.class, () -> lab.earlierSharedFolder("02-methods", "../elsewhere"));
  }
}
