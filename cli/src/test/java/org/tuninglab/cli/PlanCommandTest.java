package org.tuninglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PlanCommandTest {
  /** Qwen/Qwen2.5-0.5B's shape, kept in configs/models. */
  private static final String QWEN = Path.of("..", "configs", "models", "qwen2.5-0.5b.json").toString();

  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        TuningLab.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    return new String[] {String.valueOf(code), out.toString(), err.toString()};
  }

  private static JsonNode json(String... args) throws IOException {
    String[] r = run(args);
    assertEquals("0", r[0], r[2]);
    return new ObjectMapper().readTree(r[1]);
  }

  @Test
  void jsonHasEveryFigureAndTheyAddUp() throws IOException {
    JsonNode j = json("plan", "--config", QWEN, "--method", "lora", "--r", "8", "--targets",
        "q_proj,v_proj", "--dtype", "fp16", "--optimizer", "adamw", "--batch", "8", "--seq", "512",
        "--gpu", "a100-40gb", "--json");
    long sum = 0;
    for (String key : new String[] {"weights_bytes", "gradients_bytes", "optimizer_bytes",
        "activations_bytes", "workspace_bytes"}) {
      assertTrue(j.get(key).asLong() >= 0, key);
      sum += j.get(key).asLong();
    }
    assertEquals(j.get("total_bytes").asLong(), sum);
    // fp16 weights of Qwen2.5-0.5B plus the adapters: (494,032,768 + 540,672) * 2 bytes.
    assertEquals((494_032_768L + 540_672L) * 2, j.get("weights_bytes").asLong());
    assertEquals(540_672L * 2, j.get("gradients_bytes").asLong());
    assertEquals(540_672L * 12, j.get("optimizer_bytes").asLong()); // two moments, one master
    assertEquals(j.get("total_bytes").asLong() <= (40L << 30), j.get("fits").asBoolean());
    assertTrue(j.get("max_micro_batch").asInt() >= 1);
    assertEquals(40L << 30, j.get("gpu_bytes").asLong());
  }

  @Test
  void largestMicroBatchIsConsistentWithFits() throws IOException {
    JsonNode base = json("plan", "--config", QWEN, "--method", "full", "--batch", "1", "--seq",
        "256", "--gpu", "a100-40gb", "--json");
    int max = base.get("max_micro_batch").asInt();
    assertTrue(max >= 1, base.toString());
    JsonNode atMax = json("plan", "--config", QWEN, "--method", "full", "--batch", "" + max,
        "--seq", "256", "--gpu", "a100-40gb", "--json");
    JsonNode above = json("plan", "--config", QWEN, "--method", "full", "--batch", "" + (max + 1),
        "--seq", "256", "--gpu", "a100-40gb", "--json");
    assertTrue(atMax.get("fits").asBoolean());
    assertFalse(above.get("fits").asBoolean());
  }

  @Test
  void checkpointingAndExplainAndText() throws IOException {
    JsonNode off = json("plan", "--config", QWEN, "--method", "lora", "--seq", "512", "--json");
    JsonNode on = json("plan", "--config", QWEN, "--method", "lora", "--seq", "512",
        "--checkpointing", "--json");
    // The logits and log-softmax (B, T, V) stay whole; the 24 layers shrink to their inputs.
    assertTrue(on.get("activations_bytes").asLong() < off.get("activations_bytes").asLong() / 3);
    String[] r = run("plan", "--config", QWEN, "--method", "qlora", "--gpu", "24", "--explain");
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].contains("total per GPU"), r[1]);
    assertTrue(r[1].contains("NF4 weights dequantised"), r[1]);
  }

  @Test
  void badValuesNameTheOptionAndWhatIsExpected() {
    String[][] cases = {
      {"--dtype", "fp8", "--dtype must be fp32, fp16 or bf16, got 'fp8'"},
      {"--optimizer", "lion", "--optimizer must be adamw or sgd, got 'lion'"},
      {"--gpu", "a100", "--gpu must be one of v100-16gb"},
      {"--batch", "0", "--batch must be at least 1, got 0"},
      {"--seq", "-5", "--seq must be at least 1, got -5"},
      {"--method", "adapter", "--method must be full, lora, qlora or prompt, got 'adapter'"},
      {"--r", "0", "--r must be at least 1, got 0"},
      {"--batch", "many", "'many' is not an int"},
    };
    for (String[] c : cases) {
      String[] r = run("plan", "--config", QWEN, c[0], c[1]);
      assertEquals("2", r[0], c[0] + " " + c[1] + ": " + r[1] + r[2]);
      assertTrue(r[2].contains(c[2]), r[2]);
      assertFalse(r[2].contains("\tat "), "no stack trace: " + r[2]);
    }
    String[] missing = run("plan", "--config", "no-such-config.json");
    assertEquals("2", missing[0]);
    assertTrue(missing[2].contains("no-such-config.json"), missing[2]);
  }
}
