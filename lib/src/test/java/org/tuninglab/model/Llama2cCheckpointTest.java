package org.tuninglab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.testing.SharedFiles;

class Llama2cCheckpointTest {

  @Test
  void readsTheStories260KHeader() throws IOException {
    Llama2cCheckpoint ckpt = Llama2cCheckpoint.read(SharedFiles.require("models/stories260K/stories260K.bin"));
    ModelConfig c = ckpt.config();
    assertEquals(64, c.hiddenSize());
    assertEquals(172, c.intermediateSize());
    assertEquals(5, c.numLayers());
    assertEquals(8, c.numHeads());
    assertEquals(4, c.numKvHeads());
    assertEquals(512, c.vocabSize());
    assertEquals(512, c.maxPositions());
    assertTrue(c.tieWordEmbeddings());
    assertEquals(RopeLayout.INTERLEAVED, c.ropeLayout());
  }

  @Test
  void halfSplitPermutationKeepsEveryLogit() throws IOException {
    Llama2cCheckpoint interleaved =
        Llama2cCheckpoint.read(SharedFiles.require("models/stories260K/stories260K.bin"));
    Llama2cCheckpoint halfSplit = interleaved.toHalfSplit();
    assertEquals(RopeLayout.HALF_SPLIT, halfSplit.config().ropeLayout());
    long[] ids = {1, 403, 407, 261, 378, 11, 51, 308, 262};
    float[] a = logits(interleaved, ids);
    float[] b = logits(halfSplit, ids);
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    assertTrue(max < 1e-4, "max abs difference " + max);
  }

  private static float[] logits(Llama2cCheckpoint ckpt, long[] ids) throws IOException {
    try (LlamaModel model = LlamaModel.create(ckpt.config(), ckpt, Device.cpu(), DataType.FLOAT32);
        NDManager step = model.manager().newSubManager()) {
      return model.forward(step.create(ids, new Shape(1, ids.length))).toFloatArray();
    }
  }

  @Test
  void truncatedFileSaysHowManyValuesWereExpected(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("model.bin");
    ByteBuffer buf = ByteBuffer.allocate(28 + 400).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : new int[] {8, 16, 1, 2, 2, 10, 4}) {
      buf.putInt(v);
    }
    Files.write(file, buf.array());
    var e = assertThrows(ModelFormatException.class, () -> Llama2cCheckpoint.read(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("the file holds 100"), e.getMessage());
  }

  @Test
  void implausibleHeaderIsNamed(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("model.bin");
    ByteBuffer buf = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : new int[] {8, 16, 1, 3, 2, 10, 4}) {
      buf.putInt(v);
    }
    Files.write(file, buf.array());
    var e = assertThrows(ModelFormatException.class, () -> Llama2cCheckpoint.read(file));
    assertTrue(e.getMessage().contains("implausible") && e.getMessage().contains(Arrays.toString(new int[] {8, 16, 1, 3, 2, 10, 4})), e.getMessage());
    Files.write(file, new byte[5]);
    assertTrue(assertThrows(ModelFormatException.class, () -> Llama2cCheckpoint.read(file)).getMessage().contains("too short"));
  }
}
