package org.tuninglab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.checkpoint.CheckpointWriter;
import org.tuninglab.checkpoint.FloatTensor;
import org.tuninglab.checkpoint.HalfFloats;
import org.tuninglab.checkpoint.TensorDType;
import org.tuninglab.generate.GenerationConfig;
import org.tuninglab.generate.LanguageModel;
import org.tuninglab.testing.TinyModelDir;
import org.tuninglab.tokenize.ChatMessage;
import org.tuninglab.tokenize.HfTokenizer;

class PretrainedModelTest {
  static final long MB = 1 << 20;
  @TempDir Path dir;

  private static float[] logits(PretrainedModel m, long... ids) {
    try (NDManager step = m.model().manager().newSubManager()) {
      return m.model().forward(step.create(ids, new Shape(1, ids.length))).toFloatArray();
    }
  }

  private static float[] reference(long seed, long... ids) throws IOException {
    try (LlamaModel model =
            LlamaModel.create(TinyModelDir.CONFIG, RandomWeights.everywhere(seed, 0.2), Device.cpu(), DataType.FLOAT32);
        NDManager step = model.manager().newSubManager()) {
      return model.forward(step.create(ids, new Shape(1, ids.length))).toFloatArray();
    }
  }

  @Test
  void saveThenLoadGivesIdenticalLogits() throws IOException {
    TinyModelDir.write(dir, 1, TensorDType.F32, 64 * MB);
    assertTrue(Files.exists(dir.resolve("model.safetensors")));
    try (PretrainedModel m = PretrainedModel.load(dir, Device.cpu(), DataType.FLOAT32)) {
      assertArrayEquals(reference(1, 5, 77, 3, 250), logits(m, 5, 77, 3, 250));
    }
  }

  @Test
  void continuingAtAnotherContextOrDepthKeepsWhatTheModelComputes() throws IOException {
    TinyModelDir.write(dir, 1, TensorDType.F32, 64 * MB);
    ModelConfig saved = TinyModelDir.CONFIG;
    WeightSource fresh = RandomWeights.forTraining(9, 0.2);
    try (PretrainedModel longer = PretrainedModel.loadToContinue(
            dir, 2 * saved.maxPositions(), saved.numLayers(), fresh, Device.cpu(),
            DataType.FLOAT32);
        PretrainedModel deeper = PretrainedModel.loadToContinue(
            dir, saved.maxPositions(), 3 * saved.numLayers(), fresh, Device.cpu(),
            DataType.FLOAT32)) {
      assertEquals(saved.withMaxPositions(2 * saved.maxPositions()), longer.model().config());
      assertArrayEquals(reference(1, 5, 77, 3, 250), logits(longer, 5, 77, 3, 250));
      // Block expansion: the new layers add nothing until trained, so the logits are the saved
      // model's (to float rounding of the unchanged sums).
      assertEquals(saved.withNumLayers(3 * saved.numLayers()), deeper.model().config());
      float[] expected = reference(1, 5, 77, 3, 250);
      float[] grown = logits(deeper, 5, 77, 3, 250);
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], grown[i], 1e-5, "logit " + i);
      }
    }
    IllegalArgumentException odd = assertThrows(IllegalArgumentException.class,
        () -> PretrainedModel.loadToContinue(
            dir, saved.maxPositions(), saved.numLayers() + 1, fresh, Device.cpu(),
            DataType.FLOAT32));
    assertTrue(odd.getMessage().contains("grows to a multiple"), odd.getMessage());
  }

  @Test
  void shardedCheckpointLoadsTheSame() throws IOException {
    TinyModelDir.write(dir, 2, TensorDType.F32, 20_000);
    assertTrue(Files.exists(dir.resolve("model.safetensors.index.json")));
    try (var files = Files.list(dir)) {
      assertTrue(files.filter(f -> f.getFileName().toString().matches("model-\\d{5}-of-\\d{5}\\.safetensors")).count() > 2);
    }
    try (PretrainedModel m = PretrainedModel.load(dir, Device.cpu(), DataType.FLOAT32)) {
      assertArrayEquals(reference(2, 9, 8, 7), logits(m, 9, 8, 7));
    }
  }

  @Test
  void bf16CheckpointIsWidenedExactly() throws IOException {
    TinyModelDir.write(dir, 3, TensorDType.BF16, 64 * MB);
    float[] original = RandomWeights.everywhere(3, 0.2).read(LlamaWeights.EMBED, new long[] {272, 32});
    try (PretrainedModel m = PretrainedModel.load(dir, Device.cpu(), DataType.FLOAT32)) {
      float[] loaded = m.model().namedArrays().get(LlamaWeights.EMBED).toFloatArray();
      for (int i = 0; i < original.length; i++) {
        assertEquals(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(original[i])), loaded[i], 0f);
      }
      float[] full = reference(3, 1, 2, 3);
      float[] half = logits(m, 1, 2, 3);
      double max = 0;
      for (int i = 0; i < full.length; i++) {
        max = Math.max(max, Math.abs(full[i] - half[i]));
      }
      assertTrue(max > 0 && max < 0.05, "bf16 rounding moves logits by " + max);
    }
  }

  @Test
  void llama2cImportSavedAsHuggingFaceKeepsItsLogits() throws IOException {
    ModelConfig interleaved = TinyModelDir.CONFIG.withRopeLayout(RopeLayout.INTERLEAVED);
    TinyModelDir.copyTokenizer(dir);
    float[] before;
    try (LlamaModel model = LlamaModel.create(interleaved, RandomWeights.everywhere(4, 0.2), Device.cpu(), DataType.FLOAT32);
        PretrainedModel m = PretrainedModel.of(model, HfTokenizer.load(dir), null)) {
      before = logits(m, 3, 1, 4, 1, 5);
      m.save(dir, TensorDType.F32, 64 * MB);
    }
    try (PretrainedModel m = PretrainedModel.load(dir, Device.cpu(), DataType.FLOAT32)) {
      assertEquals(RopeLayout.HALF_SPLIT, m.model().config().ropeLayout());
      float[] after = logits(m, 3, 1, 4, 1, 5);
      for (int i = 0; i < before.length; i++) {
        assertEquals(before[i], after[i], 1e-4);
      }
    }
  }

  @Test
  void chatUsesTheTemplateAndStopsAtEndOfTurn() throws IOException {
    TinyModelDir.write(dir, 5, TensorDType.F32, 64 * MB);
    try (PretrainedModel m = PretrainedModel.load(dir, Device.cpu(), DataType.FLOAT32)) {
      int[] ids = m.encodeChat(List.of(ChatMessage.user("hi")));
      String rendered = m.tokenizer().decode(ids, false);
      assertTrue(rendered.endsWith("<|im_start|>assistant\n"), rendered);
      var g = LanguageModel.of(m).chat(List.of(ChatMessage.user("hi")), GenerationConfig.greedy(8));
      assertTrue(g.tokens().length <= 8);
    }
  }

  @Test
  void aLayerCountTheWeightsDoNotHoldFailsBeforeAllocating() throws IOException {
    TinyModelDir.write(dir, 6, TensorDType.F32, 64 * MB);
    Path config = dir.resolve("config.json");
    String text = Files.readString(config);
    for (String layers : List.of("1000000", "2000000000", "1")) {
      Files.writeString(config, text.replaceAll("\"num_hidden_layers\"\\s*:\\s*2",
          "\"num_hidden_layers\": " + layers));
      long start = System.nanoTime();
      var e = assertThrows(ModelFormatException.class,
          () -> PretrainedModel.load(dir, Device.cpu(), DataType.FLOAT32));
      assertTrue(e.getMessage().startsWith(config + ": num_hidden_layers is " + layers
          + " but the checkpoint's weights hold 2 layers"), e.getMessage());
      assertTrue((System.nanoTime() - start) / 1e9 < 5, "failed at once");
    }
  }

  @Test
  void wrongShapeNamesTheTensorAndBothShapes() throws IOException {
    TinyModelDir.write(dir, 6, TensorDType.F32, 64 * MB);
    LinkedHashMap<String, FloatTensor> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : LlamaWeights.shapes(TinyModelDir.CONFIG).entrySet()) {
      long[] shape = e.getValue().clone();
      if (e.getKey().equals("model.layers.1.mlp.up_proj.weight")) {
        shape[0] = 40;
      }
      tensors.put(e.getKey(), new FloatTensor(shape, new float[(int) new Shape(shape).size()]));
    }
    CheckpointWriter.writeDirectory(dir, tensors, TensorDType.F32, 64 * MB);
    var e = assertThrows(ModelFormatException.class, () -> PretrainedModel.load(dir, Device.cpu(), DataType.FLOAT32));
    assertTrue(e.getMessage().contains("'model.layers.1.mlp.up_proj.weight' has shape [40, 32]"), e.getMessage());
    assertTrue(e.getMessage().contains("calls for [48, 32]"), e.getMessage());
  }

  @Test
  void tokenizerLargerThanTheModelIsRejected() throws IOException {
    TinyModelDir.write(dir, 7, TensorDType.F32, 64 * MB);
    ModelConfig small =
        ModelConfig.builder().optArchitecture(Architecture.QWEN2).setVocabSize(200).setHiddenSize(32)
            .setIntermediateSize(48).setNumLayers(2).setNumHeads(4).optNumKvHeads(2).optTieWordEmbeddings(true).build();
    small.save(dir);
    var e = assertThrows(IllegalArgumentException.class, () -> PretrainedModel.load(dir, Device.cpu(), DataType.FLOAT32));
    assertTrue(e.getMessage().contains("272") && e.getMessage().contains("200"), e.getMessage());
  }

  @Test
  void missingWeightsAndCorruptHeaderAreNamed() throws IOException {
    TinyModelDir.write(dir, 8, TensorDType.F32, 64 * MB);
    Path weights = dir.resolve("model.safetensors");
    byte[] bytes = Files.readAllBytes(weights);
    bytes[10] = '#'; // inside the JSON header
    Files.write(weights, bytes);
    var e = assertThrows(IOException.class, () -> PretrainedModel.load(dir, Device.cpu(), DataType.FLOAT32));
    assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
    Files.delete(weights);
    e = assertThrows(IOException.class, () -> PretrainedModel.load(dir, Device.cpu(), DataType.FLOAT32));
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
  }
}
