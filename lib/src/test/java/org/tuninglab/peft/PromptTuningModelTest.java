package org.tuninglab.peft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.testing.CharTokenizer;

class PromptTuningModelTest {
  @TempDir Path dir;

  private static PromptTuningConfig text(int n) {
    return PromptTuningConfig.builder().setNumVirtualTokens(n).optInitText("abc").build();
  }

  @Test
  void textInitRepeatsTheTextsEmbeddingsLikePeft() throws IOException {
    try (LlamaModel model = TinyModels.model();
        PromptTuningModel prompt = PromptTuningModel.create(model, text(7), new CharTokenizer());
        NDManager m = model.manager().newSubManager()) {
      // "abc" with BOS is [1, 2, 3, 4]; 7 tokens repeat it: 1 2 3 4 1 2 3.
      NDArray expected = model.embed(m.create(new long[] {1, 2, 3, 4, 1, 2, 3}));
      assertEquals(new Shape(7, 32), prompt.promptEmbeddings().getShape());
      assertArrayEquals(expected.toFloatArray(), prompt.promptEmbeddings().toFloatArray());
    }
    try (LlamaModel model = TinyModels.model();
        PromptTuningModel prompt = PromptTuningModel.create(model, text(2), new CharTokenizer());
        NDManager m = model.manager().newSubManager()) {
      assertArrayEquals(
          model.embed(m.create(new long[] {1, 2})).toFloatArray(),
          prompt.promptEmbeddings().toFloatArray());
    }
  }

  @Test
  void randomAndVocabularyInitsAreSeeded() throws IOException {
    for (PromptInit init : List.of(PromptInit.RANDOM, PromptInit.SAMPLE_VOCAB)) {
      PromptTuningConfig c =
          PromptTuningConfig.builder().setNumVirtualTokens(5).optInit(init).optSeed(9).build();
      try (LlamaModel model = TinyModels.model();
          PromptTuningModel a = PromptTuningModel.create(model, c, null);
          PromptTuningModel b = PromptTuningModel.create(model, c, null)) {
        assertArrayEquals(a.promptEmbeddings().toFloatArray(), b.promptEmbeddings().toFloatArray());
        assertEquals(new Shape(5, 32), a.promptEmbeddings().getShape());
      }
    }
  }

  @Test
  void logitsLineUpWithTheInputsAndPaddingIsMasked() throws IOException {
    try (LlamaModel model = TinyModels.model();
        PromptTuningModel prompt = PromptTuningModel.create(model, text(5), new CharTokenizer());
        NDManager m = model.manager().newSubManager()) {
      NDArray ids = m.create(new long[] {5, 6, 7, 8}, new Shape(1, 4));
      NDArray logits = prompt.logits(ids, null);
      assertEquals(new Shape(1, 4, TinyModels.VOCAB), logits.getShape());
      // The same sequence left-padded by two: its real positions give the same logits.
      NDArray padded = m.create(new long[] {0, 0, 5, 6, 7, 8}, new Shape(1, 6));
      NDArray mask = m.create(new long[] {0, 0, 1, 1, 1, 1}, new Shape(1, 6));
      NDArray paddedLogits = prompt.logits(padded, mask);
      assertEquals(new Shape(1, 6, TinyModels.VOCAB), paddedLogits.getShape());
      assertArrayEquals(logits.toFloatArray(), paddedLogits.get(":, 2:").toFloatArray(), 1e-5f);
      // The virtual tokens change the output.
      float[] plain = model.forward(ids).toFloatArray();
      assertTrue(TinyModels.maxAbsDiff(plain, logits.toFloatArray()) > 1e-3);
    }
  }

  @Test
  void trainingLowersTheLossAndLeavesTheModelBitForBit() throws IOException {
    try (LlamaModel model = TinyModels.model();
        PromptTuningModel prompt = PromptTuningModel.create(model, text(4), new CharTokenizer())) {
      Map<String, float[]> base = TinyModels.snapshot(model);
      float[] losses = TinyModels.sgd(prompt, 6, 2f);
      assertTrue(losses[5] < losses[0] - 0.01, Arrays.toString(losses));
      Map<String, float[]> after = TinyModels.snapshot(model);
      base.forEach((name, values) -> assertArrayEquals(values, after.get(name), name));
    }
  }

  @Test
  void saveThenLoadGivesIdenticalLogitsAndPeftsFormat() throws IOException {
    float[] trained;
    try (LlamaModel model = TinyModels.model();
        PromptTuningModel prompt = PromptTuningModel.create(model, text(4), new CharTokenizer())) {
      TinyModels.sgd(prompt, 2, 2f);
      trained = TinyModels.logits(prompt);
      prompt.save(dir, "tiny/base");
    }
    JsonNode json = new ObjectMapper().readTree(dir.resolve("adapter_config.json").toFile());
    List<String> keys = new ArrayList<>();
    json.fieldNames().forEachRemaining(keys::add);
    assertEquals(
        List.of(
            "auto_mapping",
            "base_model_name_or_path",
            "inference_mode",
            "num_attention_heads",
            "num_layers",
            "num_transformer_submodules",
            "num_virtual_tokens",
            "peft_type",
            "prompt_tuning_init",
            "prompt_tuning_init_text",
            "revision",
            "task_type",
            "token_dim",
            "tokenizer_kwargs",
            "tokenizer_name_or_path"),
        keys);
    assertEquals("PROMPT_TUNING", json.get("peft_type").asText());
    assertEquals("TEXT", json.get("prompt_tuning_init").asText());
    assertEquals("abc", json.get("prompt_tuning_init_text").asText());
    assertEquals(32, json.get("token_dim").asInt());
    JsonNode header = SafetensorsHeader.read(dir.resolve("adapter_model.safetensors"));
    assertEquals("[4,32]", header.get("prompt_embeddings").get("shape").toString());
    try (LlamaModel model = TinyModels.model();
        PromptTuningModel prompt = PromptTuningModel.load(dir, model)) {
      assertArrayEquals(trained, TinyModels.logits(prompt));
      assertEquals(PromptInit.TEXT, prompt.config().init());
    }
  }

  @Test
  void anAdapterForAnotherWidthIsRejected() throws IOException {
    try (LlamaModel model = TinyModels.model();
        PromptTuningModel prompt = PromptTuningModel.create(model, text(4), new CharTokenizer())) {
      prompt.save(dir, "tiny/base");
    }
    ModelConfig wider = TinyModels.wider();
    try (LlamaModel model = TinyModels.model(wider)) {
      var e = assertThrows(AdapterFormatException.class, () -> PromptTuningModel.load(dir, model));
      assertTrue(
          e.getMessage().contains("field 'token_dim' is 32 but the model's hidden size is 48"),
          e.getMessage());
    }
    // Without token_dim in the config, the tensor's shape still gives it away.
    String config = Files.readString(dir.resolve("adapter_config.json"));
    Files.writeString(
        dir.resolve("adapter_config.json"), config.replace("\"token_dim\" : 32,", ""));
    try (LlamaModel model = TinyModels.model(wider)) {
      var e = assertThrows(AdapterFormatException.class, () -> PromptTuningModel.load(dir, model));
      assertTrue(
          e.getMessage().contains("tensor 'prompt_embeddings' has shape (4, 32), expected [4, 48]"),
          e.getMessage());
    }
  }

  @Test
  void badSettingsAreRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> PromptTuningConfig.builder().setNumVirtualTokens(0).build());
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                PromptTuningConfig.builder()
                    .setNumVirtualTokens(3)
                    .optInit(PromptInit.TEXT)
                    .build());
    assertTrue(e.getMessage().contains("prompt_tuning_init_text"));
    assertThrows(
        IllegalArgumentException.class,
        () -> {
          try (LlamaModel model = TinyModels.model()) {
            PromptTuningModel.create(model, text(3), null);
          }
        });
  }
}
