package org.tuninglab.peft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.model.NamedArray;

class LoraAdapterFilesTest {
  @TempDir Path dir;

  /** The keys PEFT 0.13 writes for a LoRA adapter_config.json. */
  private static final List<String> PEFT_KEYS =
      List.of(
          "alpha_pattern",
          "auto_mapping",
          "base_model_name_or_path",
          "bias",
          "fan_in_fan_out",
          "inference_mode",
          "init_lora_weights",
          "layer_replication",
          "layers_pattern",
          "layers_to_transform",
          "loftq_config",
          "lora_alpha",
          "lora_dropout",
          "megatron_config",
          "megatron_core",
          "modules_to_save",
          "peft_type",
          "r",
          "rank_pattern",
          "revision",
          "target_modules",
          "task_type",
          "use_dora",
          "use_rslora");

  private static LoraConfig config() {
    return LoraConfig.builder()
        .setR(4)
        .optAlpha(8)
        .optDropout(0.05)
        .setTargetModules("q_proj", "v_proj")
        .optSeed(3)
        .build();
  }

  @Test
  void saveThenLoadGivesIdenticalLogits() throws IOException {
    float[] trained;
    try (LlamaModel model = TinyModels.model();
        LoraModel lora = LoraModel.apply(model, config())) {
      TinyModels.sgd(lora, 2, 0.5f);
      trained = TinyModels.logits(lora);
      lora.save(dir, "tiny/base");
    }
    try (LlamaModel model = TinyModels.model();
        LoraModel lora = LoraModel.load(dir, model)) {
      assertArrayEquals(trained, TinyModels.logits(lora));
      assertEquals(config().r(), lora.config().r());
      assertEquals(0.05, lora.config().dropout());
    }
  }

  @Test
  void savedFilesUsePeftsKeysAndTensorNames() throws IOException {
    try (LlamaModel model = TinyModels.model();
        LoraModel lora = LoraModel.apply(model, config())) {
      lora.save(dir, "tiny/base");
    }
    JsonNode json = new ObjectMapper().readTree(dir.resolve("adapter_config.json").toFile());
    List<String> keys = new ArrayList<>();
    json.fieldNames().forEachRemaining(keys::add);
    assertEquals(PEFT_KEYS, keys);
    assertEquals("LORA", json.get("peft_type").asText());
    assertEquals("CAUSAL_LM", json.get("task_type").asText());
    assertEquals(8, json.get("lora_alpha").asInt());
    assertTrue(json.get("lora_alpha").isIntegralNumber());
    assertEquals("tiny/base", json.get("base_model_name_or_path").asText());
    JsonNode header = SafetensorsHeader.read(dir.resolve("adapter_model.safetensors"));
    TreeSet<String> names = new TreeSet<>();
    header
        .fieldNames()
        .forEachRemaining(
            n -> {
              if (!n.equals("__metadata__")) {
                names.add(n);
              }
            });
    assertEquals(8, names.size());
    assertEquals("pt", header.get("__metadata__").get("format").asText());
    String a = "base_model.model.model.layers.1.self_attn.v_proj.lora_A.weight";
    String b = "base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight";
    assertTrue(names.contains(a) && names.contains(b), names.toString());
    assertEquals("F32", header.get(a).get("dtype").asText());
    assertEquals("[4,32]", header.get(a).get("shape").toString());
    assertEquals("[16,4]", header.get(b).get("shape").toString()); // 2 kv heads x 8
  }

  @Test
  void loadsAnAdapterWrittenByPeft() throws IOException {
    // PEFT's own adapter_config.json (0.15 keys) and a safetensors file with its metadata.
    try (InputStream in = getClass().getResourceAsStream("/peft/lora/adapter_config.json")) {
      Files.copy(in, dir.resolve("adapter_config.json"));
    }
    Map<String, float[]> data = new LinkedHashMap<>();
    Map<String, long[]> shapes = new LinkedHashMap<>();
    for (int layer = 0; layer < 2; layer++) {
      for (String m : List.of("q_proj", "v_proj")) {
        String prefix = "base_model.model.model.layers." + layer + ".self_attn." + m;
        int out = m.equals("q_proj") ? 32 : 16;
        data.put(prefix + ".lora_A.weight", ramp(8 * 32, 0.01f));
        shapes.put(prefix + ".lora_A.weight", new long[] {8, 32});
        data.put(prefix + ".lora_B.weight", ramp(out * 8, 0.02f));
        shapes.put(prefix + ".lora_B.weight", new long[] {out, 8});
      }
    }
    SafetensorsHeader.writeF32(dir.resolve("adapter_model.safetensors"), data, shapes);
    try (LlamaModel model = TinyModels.model();
        LoraModel lora = LoraModel.load(dir, model)) {
      assertEquals(8, lora.config().r());
      assertEquals(32.0, lora.config().alpha());
      assertEquals(List.of("v_proj", "q_proj"), lora.config().targetModules());
      assertEquals(4.0, lora.config().scaling());
      float[] b = lora.layers().get("model.layers.1.self_attn.v_proj").loraB().toFloatArray();
      assertArrayEquals(
          data.get("base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight"), b);
    }
  }

  @Test
  void loadsABfloat16AdapterWithoutHandingBf16ToDjl() throws IOException {
    try (LlamaModel model = TinyModels.model();
        LoraModel lora = LoraModel.apply(model, config())) {
      TinyModels.sgd(lora, 1, 0.5f);
      lora.save(dir, "tiny/base");
    }
    // Rewrite the tensors in bf16, as PEFT saves an adapter trained on a bf16 model.
    LinkedHashMap<String, org.tuninglab.checkpoint.FloatTensor> bf16 = new LinkedHashMap<>();
    Path file = dir.resolve("adapter_model.safetensors");
    try (var st = org.tuninglab.checkpoint.SafetensorsFile.open(file)) {
      st.tensors()
          .forEach(
              (name, info) ->
                  bf16.put(
                      name,
                      new org.tuninglab.checkpoint.FloatTensor(info.shape(), st.readFloats(name))));
    }
    org.tuninglab.checkpoint.CheckpointWriter.writeFile(
        file, bf16, org.tuninglab.checkpoint.TensorDType.BF16, Map.of());
    assertEquals(
        "BF16",
        SafetensorsHeader.read(file)
            .get("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight")
            .get("dtype")
            .asText());
    try (LlamaModel model = TinyModels.model();
        LoraModel lora = LoraModel.load(dir, model)) {
      float[] b = lora.layers().get("model.layers.0.self_attn.q_proj").loraB().toFloatArray();
      float[] expected =
          bf16.get("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight").data();
      assertArrayEquals(expected, b, 1e-2f * 0.1f);
      assertTrue(TinyModels.maxAbsDiff(new float[b.length], b) > 0);
    }
  }

  @Test
  void strayOrUnpairedTensorsAreNamed() throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/peft/lora/adapter_config.json")) {
      Files.copy(in, dir.resolve("adapter_config.json"));
    }
    String a = "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight";
    SafetensorsHeader.writeF32(
        dir.resolve("adapter_model.safetensors"),
        Map.of(a, new float[8 * 32], "base_model.model.lm_head.weight", new float[4]),
        Map.of(a, new long[] {8, 32}, "base_model.model.lm_head.weight", new long[] {2, 2}));
    try (LlamaModel model = TinyModels.model()) {
      var e = assertThrows(AdapterFormatException.class, () -> LoraModel.load(dir, model));
      assertTrue(
          e.getMessage().contains("'base_model.model.lm_head.weight' is not a LoRA tensor"),
          e.getMessage());
      assertTrue(
          e.getMessage().contains("model.layers.0.self_attn.q_proj: has lora_A but not lora_B"),
          e.getMessage());
    }
  }

  private static float[] ramp(int n, float step) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (i % 17 - 8) * step;
    }
    return v;
  }

  @Test
  void anAdapterForABaseWithOtherShapesNamesTheTensors() throws IOException {
    try (LlamaModel model = TinyModels.model();
        LoraModel lora = LoraModel.apply(model, config())) {
      lora.save(dir, "tiny/base");
    }
    ModelConfig wider = TinyModels.wider();
    try (LlamaModel other = TinyModels.model(wider)) {
      var e = assertThrows(AdapterFormatException.class, () -> LoraModel.load(dir, other));
      assertTrue(
          e.getMessage()
              .contains(
                  "'base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight' has shape [4,"
                      + " 32], the model needs [4, 48]"),
          e.getMessage());
      assertTrue(e.getMessage().contains("adapter_model.safetensors"), e.getMessage());
      assertTrue(other.linearLayers().values().stream().noneMatch(l -> l instanceof LoraLinear));
    }
  }

  @Test
  void aMismatchNamesTheBaseTheAdapterWasTrainedOnAndCountsTheTensorsItDoesNotList()
      throws IOException {
    LoraConfig allLinear =
        LoraConfig.builder().setR(4).setTargetModules(LoraConfig.ALL_LINEAR).optSeed(3).build();
    try (LlamaModel model = TinyModels.model();
        LoraModel lora = LoraModel.apply(model, allLinear)) {
      lora.save(dir, "tiny/base");
    }
    try (LlamaModel other = TinyModels.model(TinyModels.wider())) {
      String message =
          assertThrows(AdapterFormatException.class, () -> LoraModel.load(dir, other)).getMessage();
      assertTrue(
          message.contains("does not fit this base model (the adapter was trained on tiny/base): '"),
          message);
      // Per layer, 11 of the 14 tensors depend on the width (gate/up's lora_B and down's lora_A do
      // not): 22 in the two layers, 3 named and the other 19 counted.
      assertEquals(3, message.split("' has shape ", -1).length - 1, message);
      assertTrue(message.endsWith("; and 19 more tensors of other shapes"), message);
    }
  }

  @Test
  void anAdapterForADeeperBaseNamesTheMissingModules() throws IOException {
    ModelConfig deeper =
        ModelConfig.builder()
            .setVocabSize(64)
            .setHiddenSize(32)
            .setIntermediateSize(64)
            .setNumLayers(3)
            .setNumHeads(4)
            .optNumKvHeads(2)
            .build();
    try (LlamaModel model = TinyModels.model(deeper);
        LoraModel lora = LoraModel.apply(model, config())) {
      lora.save(dir, "tiny/deeper");
    }
    try (LlamaModel model = TinyModels.model()) {
      var e = assertThrows(AdapterFormatException.class, () -> LoraModel.load(dir, model));
      assertTrue(
          e.getMessage()
              .contains(
                  "no module of the model for [base_model.model.model."
                      + "layers.2.self_attn.q_proj.lora_A.weight"),
          e.getMessage());
    }
  }

  @Test
  void unsupportedOrMalformedConfigsNameTheField() throws IOException {
    assertConfigError("\"use_dora\": true", "field 'use_dora' = true is not supported");
    assertConfigError("\"bias\": \"all\"", "field 'bias' must be \"none\"");
    assertConfigError("\"r\": \"eight\"", "field 'r' must be an integer");
    assertConfigError("\"target_modules\": \".*proj\"", "field 'target_modules' must be a list");
    assertConfigError("\"peft_type\": \"IA3\"", "field 'peft_type' must be \"LORA\"");
    var e =
        assertThrows(
            AdapterFormatException.class,
            () -> {
              try (LlamaModel model = TinyModels.model()) {
                LoraModel.load(dir.resolve("missing"), model);
              }
            });
    assertTrue(e.getMessage().contains("adapter_config.json: not found"), e.getMessage());
  }

  private void assertConfigError(String override, String expected) throws IOException {
    String base =
        "{\"peft_type\": \"LORA\", \"r\": 4, \"lora_alpha\": 8, \"bias\": \"none\","
            + " \"target_modules\": [\"q_proj\"], \"use_dora\": false}";
    String key = override.substring(0, override.indexOf(':'));
    String json =
        base.replaceFirst(
            java.util.regex.Pattern.quote(key) + ": [^,}]+(,|})",
            java.util.regex.Matcher.quoteReplacement(override) + "$1");
    Files.writeString(dir.resolve("adapter_config.json"), json);
    try (LlamaModel model = TinyModels.model()) {
      var e = assertThrows(AdapterFormatException.class, () -> LoraModel.load(dir, model));
      assertTrue(e.getMessage().contains(expected), e.getMessage());
      assertTrue(e.getMessage().contains("adapter_config.json"), e.getMessage());
    }
  }

  @Test
  void allLinearIsSavedAsTheModuleNamesItSelected() throws IOException {
    LoraConfig all = LoraConfig.builder().setR(2).setTargetModules("all-linear").build();
    try (LlamaModel model = TinyModels.model();
        LoraModel lora = LoraModel.apply(model, all)) {
      lora.save(dir, "tiny/base");
      assertEquals(28, lora.trainableArrays().stream().map(NamedArray::name).distinct().count());
    }
    JsonNode json = new ObjectMapper().readTree(dir.resolve("adapter_config.json").toFile());
    assertEquals(
        "[\"down_proj\",\"gate_proj\",\"k_proj\",\"o_proj\",\"q_proj\",\"up_proj\",\"v_proj\"]",
        json.get("target_modules").toString());
  }
}
