package org.tuninglab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.model.PretrainedModel;

/** {@code grow} writes a deeper model that computes what the embedded one does, and refuses bad input. */
class GrowCommandTest {
  private static final Path MODEL = Path.of("..", "models", "tuninglab-tiny").toAbsolutePath().normalize();

  @TempDir Path dir;

  @Test
  void theGrownModelHasTwiceTheLayersAndTheSameLogits() throws IOException {
    int layers = ModelConfig.load(MODEL).numLayers();
    Path out = dir.resolve("grown");
    StringWriter err = new StringWriter();
    int code = CliRun.run(err, "grow", "--model", MODEL.toString(), "--layers", String.valueOf(2 * layers),
        "--out", out.toString());
    assertEquals(0, code, err.toString());
    assertTrue(err.toString().contains("(" + 2 * layers + " layers, "), err.toString());
    assertEquals(2 * layers, ModelConfig.load(out).numLayers());
    assertTrue(Files.exists(out.resolve("tokenizer.json")));
    assertTrue(Files.exists(out.resolve("tokenizer_config.json")), "the chat template travels with it");
    int[] ids = {5, 80, 200, 31, 7, 400};
    float[] before = logits(MODEL, ids);
    float[] after = logits(out, ids);
    assertArrayEquals(before, after, 1e-5f);
  }

  @Test
  void aLayerCountThatIsNotAGreaterMultipleIsRefused() throws IOException {
    int layers = ModelConfig.load(MODEL).numLayers();
    for (int bad : new int[] {layers, 2 * layers + 1}) {
      StringWriter err = new StringWriter();
      int code = CliRun.run(err, "grow", "--model", MODEL.toString(), "--layers", String.valueOf(bad),
          "--out", dir.resolve("g" + bad).toString());
      assertEquals(2, code, err.toString());
      assertTrue(err.toString().contains("--layers " + bad + ": expected a multiple of"), err.toString());
      assertFalse(Files.exists(dir.resolve("g" + bad).resolve("model.safetensors")));
    }
  }

  @Test
  void aFolderHoldingAModelIsNotOverwritten() throws IOException {
    int layers = ModelConfig.load(MODEL).numLayers();
    Path out = Files.createDirectories(dir.resolve("taken"));
    Files.writeString(out.resolve("config.json"), "{}");
    StringWriter err = new StringWriter();
    int code = CliRun.run(err, "grow", "--model", MODEL.toString(), "--layers", String.valueOf(2 * layers),
        "--out", out.toString());
    assertEquals(2, code, err.toString());
    assertTrue(err.toString().contains("already holds a model"), err.toString());
    assertEquals("{}", Files.readString(out.resolve("config.json")));
  }

  private static float[] logits(Path model, int[] ids) throws IOException {
    try (PretrainedModel m = PretrainedModel.load(model, Device.cpu(), DataType.FLOAT32);
        NDManager step = m.model().manager().newSubManager()) {
      return m.model().forward(step.create(ids, new Shape(1, ids.length))).toFloatArray();
    }
  }
}
