package org.tuninglab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigTest {
  @TempDir Path dir;

  private Path write(String json) throws IOException {
    Path file = dir.resolve("config.json");
    Files.writeString(file, json);
    return file;
  }

  @Test
  void readsAQwen25Config() throws IOException {
    // The fields of Qwen/Qwen2.5-0.5B-Instruct's config.json that the decoder uses.
    ModelConfig c = ModelConfig.load(write("""
        {"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_size": 896,
         "intermediate_size": 4864, "num_hidden_layers": 24, "num_attention_heads": 14,
         "num_key_value_heads": 2, "max_position_embeddings": 32768, "rope_theta": 1000000.0,
         "rms_norm_eps": 1e-06, "tie_word_embeddings": true, "vocab_size": 151936,
         "sliding_window": 32768, "use_sliding_window": false, "bos_token_id": 151643,
         "eos_token_id": 151645, "torch_dtype": "bfloat16", "rope_scaling": null}"""));
    assertEquals(Architecture.QWEN2, c.architecture());
    assertEquals(64, c.headDim());
    assertEquals(7, c.groupSize());
    assertTrue(c.attentionBias());
    assertEquals(0, c.slidingWindow());
    assertEquals(List.of(151645), c.eosTokenIds());
    // transformers reports 494,032,768 parameters for this model.
    assertEquals(494_032_768L, c.parameterCount());
  }

  @Test
  void readsLlama3RopeScalingAndExplicitHeadDim() throws IOException {
    ModelConfig c = ModelConfig.load(write("""
        {"architectures": ["LlamaForCausalLM"], "hidden_size": 2048, "intermediate_size": 8192,
         "num_hidden_layers": 16, "num_attention_heads": 32, "num_key_value_heads": 8,
         "head_dim": 64, "vocab_size": 128256, "rope_theta": 500000.0, "rms_norm_eps": 1e-05,
         "tie_word_embeddings": true, "eos_token_id": [128001, 128008, 128009],
         "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                          "original_max_position_embeddings": 8192, "rope_type": "llama3"}}"""));
    assertEquals(RopeScaling.llama3(32, 1, 4, 8192), c.ropeScaling());
    assertEquals(List.of(128001, 128008, 128009), c.eosTokenIds());
    // Llama-3.2-1B: 1,235,814,400 parameters.
    assertEquals(1_235_814_400L, c.parameterCount());
  }

  @Test
  void mistralUsesItsSlidingWindow() throws IOException {
    ModelConfig c = ModelConfig.load(write("""
        {"architectures": ["MistralForCausalLM"], "hidden_size": 64, "intermediate_size": 128,
         "num_hidden_layers": 1, "num_attention_heads": 4, "num_key_value_heads": 2,
         "vocab_size": 100, "sliding_window": 4096}"""));
    assertEquals(4096, c.slidingWindow());
    assertEquals(false, c.attentionBias());
  }

  @Test
  void savedConfigReadsBackEqual() throws IOException {
    ModelConfig c =
        ModelConfig.builder().optArchitecture(Architecture.QWEN2).setVocabSize(99).setHiddenSize(32)
            .setIntermediateSize(40).setNumLayers(3).setNumHeads(4).optNumKvHeads(2)
            .optRopeScaling(RopeScaling.llama3(8, 1, 4, 64)).optSlidingWindow(16)
            .optEosTokenIds(List.of(5, 6)).optBosTokenId(1).optTieWordEmbeddings(true).build();
    c.save(dir);
    assertEquals(c, ModelConfig.load(dir));
  }

  @Test
  void unsupportedArchitectureListsTheSupportedOnes() throws IOException {
    Path file = write("{\"architectures\": [\"GPT2LMHeadModel\"], \"n_embd\": 768}");
    var e = assertThrows(ModelFormatException.class, () -> ModelConfig.load(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("'GPT2LMHeadModel' is not supported"), e.getMessage());
    assertTrue(e.getMessage().contains("LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM"), e.getMessage());
  }

  @Test
  void missingOrMistypedFieldsAreNamed() throws IOException {
    Path missing = write("{\"architectures\": [\"LlamaForCausalLM\"], \"hidden_size\": 64}");
    var e = assertThrows(ModelFormatException.class, () -> ModelConfig.load(missing));
    assertTrue(e.getMessage().contains("missing required field"), e.getMessage());
    Path mistyped = write("""
        {"architectures": ["LlamaForCausalLM"], "hidden_size": "64", "intermediate_size": 128,
         "num_hidden_layers": 1, "num_attention_heads": 4, "vocab_size": 100}""");
    e = assertThrows(ModelFormatException.class, () -> ModelConfig.load(mistyped));
    assertTrue(e.getMessage().contains("'hidden_size' must be an integer"), e.getMessage());
    Path badHeads = write("""
        {"architectures": ["LlamaForCausalLM"], "hidden_size": 64, "intermediate_size": 128,
         "num_hidden_layers": 1, "num_attention_heads": 4, "num_key_value_heads": 3, "vocab_size": 100}""");
    e = assertThrows(ModelFormatException.class, () -> ModelConfig.load(badHeads));
    assertTrue(e.getMessage().contains(badHeads.toString()) && e.getMessage().contains("multiple of"), e.getMessage());
  }

  @Test
  void unsupportedRopeScalingAndBrokenJsonAreNamed() throws IOException {
    Path yarn = write("""
        {"architectures": ["LlamaForCausalLM"], "hidden_size": 64, "intermediate_size": 128,
         "num_hidden_layers": 1, "num_attention_heads": 4, "vocab_size": 100,
         "rope_scaling": {"rope_type": "yarn", "factor": 4.0}}""");
    var e = assertThrows(ModelFormatException.class, () -> ModelConfig.load(yarn));
    assertTrue(e.getMessage().contains("'yarn' is not supported"), e.getMessage());
    Path broken = write("{\"architectures\": [\"LlamaForCausalLM\",\n  }");
    e = assertThrows(ModelFormatException.class, () -> ModelConfig.load(broken));
    assertTrue(e.getMessage().contains("not valid JSON at line 2"), e.getMessage());
    e = assertThrows(ModelFormatException.class, () -> ModelConfig.load(dir.resolve("nowhere")));
    assertTrue(e.getMessage().contains("not found"), e.getMessage());
  }

  @Test
  void defaultRopeScalingMeansNone() throws IOException {
    ModelConfig c = ModelConfig.load(write("""
        {"model_type": "llama", "hidden_size": 64, "intermediate_size": 128,
         "num_hidden_layers": 1, "num_attention_heads": 4, "vocab_size": 100,
         "rope_scaling": {"rope_type": "default"}}"""));
    assertNull(c.ropeScaling());
  }
}
