package org.tuninglab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.peft.LoraConfig;
import org.tuninglab.peft.PromptInit;
import org.tuninglab.peft.PromptTuningConfig;

class SftConfigFileTest {
  private static final String MINIMAL = "model: Qwen/Qwen2.5-0.5B-Instruct\ntrain_file: d.jsonl\noutput_dir: out\n";

  @TempDir Path tmp;

  private SftConfig load(String name, String text) throws IOException {
    return SftConfigFile.load(Files.writeString(tmp.resolve(name), text));
  }

  private ConfigFormatException fails(String extra) {
    return assertThrows(ConfigFormatException.class, () -> load("c.yaml", MINIMAL + extra));
  }

  @Test
  void defaultsMirrorTheWorkshopsFullFineTune() throws IOException {
    SftConfig c = load("c.yaml", MINIMAL);
    assertEquals("Qwen/Qwen2.5-0.5B-Instruct", c.model());
    assertEquals("full", c.method().name());
    assertEquals(Precision.FP32, c.precision());
    assertEquals(5e-5, c.trainer().lr());
    assertEquals(4, c.trainer().batchSize());
    assertEquals(0.1, c.data().holdoutFraction());
    assertEquals(tmp.resolve("d.jsonl"), c.data().trainFile());
    assertNull(c.data().systemPrompt());
    assertNull(c.data().documentSeparator());
  }

  @Test
  void aDocumentSeparatorReadsTheFilesAsChatCorpora() throws IOException {
    SftConfig c = load("c.yaml", MINIMAL + "document_separator: \"<|endoftext|>\"\n");
    assertEquals("<|endoftext|>", c.data().documentSeparator());
    ConfigFormatException e = fails("document_separator: \"\"\n");
    assertTrue(e.getMessage().contains("documentSeparator"), e.getMessage());
  }

  @Test
  void jsonAndStringNumbersWork() throws IOException {
    SftConfig c =
        load(
            "c.json",
            "{\"model\": \"m\", \"train_file\": \"d.csv\", \"output_dir\": \"o\", \"lr\": \"1e-4\","
                + " \"precision\": \"fp16\", \"grad_accumulation\": 2, \"schedule\": \"COSINE\"}");
    assertEquals(1e-4, c.trainer().lr());
    assertEquals(Precision.FP16, c.precision());
    assertTrue(c.trainer().lossScaling());
    assertEquals(ScheduleKind.COSINE, c.trainer().schedule());
    assertEquals(2, c.trainer().gradAccumulation());
  }

  @Test
  void unknownKeyIsNamed() {
    ConfigFormatException e = fails("lerning_rate: 1e-4\n");
    assertEquals("lerning_rate", e.key());
    assertTrue(e.getMessage().startsWith(tmp.resolve("c.yaml") + ": key \"lerning_rate\": unknown key"), e.getMessage());
  }

  @Test
  void wrongTypesAndRangesAreNamed() {
    assertEquals(tmp.resolve("c.yaml") + ": key \"batch_size\": expected a whole number, found \"four\"",
        fails("batch_size: four\n").getMessage());
    assertEquals("batch_size", fails("batch_size: 0\n").key());
    assertEquals("warmup_ratio", fails("warmup_ratio: 3\n").key());
    assertEquals("group_by_length", fails("group_by_length: maybe\n").key());
    assertEquals(tmp.resolve("c.yaml") + ": key \"schedule\": \"step\" is not one of [constant, linear, cosine]",
        fails("schedule: step\n").getMessage());
    assertEquals(tmp.resolve("c.yaml") + ": key \"method\": \"dora\" is not one of [full, lora, qlora, prompt]",
        fails("method: dora\n").getMessage());
  }

  @Test
  void loraKeysHavePeftLikeDefaultsAndTakeAListOrACommaString() throws IOException {
    LoraConfig defaults = load("c.yaml", MINIMAL + "method: lora\n").lora();
    assertEquals(8, defaults.r());
    assertEquals(16, defaults.alpha());
    assertEquals(0.05, defaults.dropout());
    assertEquals(List.of("q_proj", "v_proj"), defaults.targetModules());
    assertFalse(defaults.useRslora());
    assertEquals(42, defaults.seed(), "seeded with the run");

    SftConfig c = load("c.yaml", MINIMAL + "method: qlora\nlora_r: 16\nlora_alpha: 32\nlora_dropout: 0\n"
        + "lora_targets: q_proj, k_proj,v_proj\nuse_rslora: true\n");
    assertEquals("qlora", c.method().name());
    assertEquals(new LoraConfig(16, 32, 0, List.of("q_proj", "k_proj", "v_proj"), true, 42), c.lora());
    assertNull(c.prompt());
    assertEquals(List.of("o_proj", "model.layers.0.mlp.down_proj"),
        load("c.yaml", MINIMAL + "method: lora\nlora_targets: [o_proj, model.layers.0.mlp.down_proj]\n")
            .lora().targetModules());
  }

  @Test
  void promptKeysStartFromTheTextWhenOneIsGiven() throws IOException {
    SftConfig c = load("c.yaml", MINIMAL + "method: prompt\nprompt_init_text: \"Solve the following math problem:\"\n");
    PromptTuningConfig prompt = c.prompt();
    assertEquals(20, prompt.numVirtualTokens());
    assertEquals(PromptInit.TEXT, prompt.init());
    assertEquals("Solve the following math problem:", prompt.initText());
    assertEquals("Qwen/Qwen2.5-0.5B-Instruct", prompt.tokenizer());
    assertNull(c.lora());
    assertEquals(PromptInit.RANDOM, load("c.yaml", MINIMAL + "method: prompt\n").prompt().init());
    assertEquals(PromptInit.SAMPLE_VOCAB,
        load("c.yaml", MINIMAL + "method: prompt\nprompt_init: sample_vocab\nvirtual_tokens: 8\n").prompt().init());
  }

  @Test
  void badMethodKeysAreNamed() {
    assertEquals(tmp.resolve("c.yaml") + ": key \"lora_r\": expected at least 1, found 0",
        fails("method: lora\nlora_r: 0\n").getMessage());
    ConfigFormatException target = fails("method: lora\nlora_targets: [q_proj, qkv_proj]\n");
    assertEquals("lora_targets", target.key());
    assertTrue(target.getMessage().contains("\"qkv_proj\" is not a projection")
        && target.getMessage().contains("[q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj]"),
        target.getMessage());
    assertEquals("lora_targets", fails("method: lora\nlora_targets: q_proj,,v_proj\n").key());
    assertEquals("lora_targets", fails("method: lora\nlora_targets: q_proj,\n").key());
    assertEquals("lora_dropout", fails("method: lora\nlora_dropout: 1\n").key());
    assertEquals(tmp.resolve("c.yaml") + ": key \"lora_r\": only read by method lora or qlora; this config's"
        + " method is full", fails("lora_r: 8\n").getMessage());
    assertEquals("virtual_tokens", fails("method: lora\nvirtual_tokens: 20\n").key());
    assertEquals("virtual_tokens", fails("method: prompt\nvirtual_tokens: 0\n").key());
    assertEquals("prompt_init_text", fails("method: prompt\nprompt_init: text\n").key());
    assertEquals("prompt_init_text",
        fails("method: prompt\nprompt_init: random\nprompt_init_text: hi\n").key());
    assertEquals("prompt_init", fails("method: prompt\nprompt_init: vocab\n").key());
  }

  @Test
  void missingRequiredKeyIsNamed() {
    ConfigFormatException e =
        assertThrows(ConfigFormatException.class, () -> load("c.yaml", "model: m\noutput_dir: o\n"));
    assertEquals(tmp.resolve("c.yaml") + ": key \"train_file\": missing; it is required", e.getMessage());
  }

  @Test
  void aRuleAcrossKeysIsReported() {
    ConfigFormatException e = fails("holdout_field: subject\n");
    assertEquals("(combination)", e.key());
    assertTrue(e.getMessage().contains("needs holdoutValues"), e.getMessage());
  }
}
