package org.tuninglab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    assertEquals("full", c.method());
    assertEquals(Precision.FP32, c.precision());
    assertEquals(5e-5, c.trainer().lr());
    assertEquals(4, c.trainer().batchSize());
    assertEquals(0.1, c.data().holdoutFraction());
    assertEquals(tmp.resolve("d.jsonl"), c.data().trainFile());
    assertNull(c.data().systemPrompt());
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
    assertEquals("method", fails("method: lora\n").key());
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
