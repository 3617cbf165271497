package org.tuninglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ParamsCommandTest {
  @TempDir Path dir;

  /** Qwen/Qwen2.5-0.5B's config.json (the fields the decoder reads). */
  private Path qwenConfig() throws IOException {
    Path file = dir.resolve("config.json");
    Files.writeString(
        file,
        """
        {"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_size": 896,
         "intermediate_size": 4864, "num_hidden_layers": 24, "num_attention_heads": 14,
         "num_key_value_heads": 2, "max_position_embeddings": 32768, "rope_theta": 1000000.0,
         "rms_norm_eps": 1e-06, "tie_word_embeddings": true, "vocab_size": 151936}\
        """);
    return file;
  }

  private String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        new CommandLine(new TuningLab())
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(args);
    return new String[] {String.valueOf(code), out.toString(), err.toString()};
  }

  @Test
  void printsPeftsCountsForLoraOnQwen() throws IOException {
    String[] r =
        run(
            "params",
            "--config",
            qwenConfig().toString(),
            "--method",
            "lora",
            "--r",
            "8",
            "--alpha",
            "32",
            "--targets",
            "q_proj,v_proj");
    assertEquals("0", r[0], r[2]);
    assertTrue(
        r[1].contains("trainable params: 540,672 || all params: 494,573,440 || trainable%: 0.1093"),
        r[1]);
    assertTrue(r[1].contains("trainable parameters"), r[1]);
  }

  @Test
  void otherMethods() throws IOException {
    String config = qwenConfig().toString();
    assertTrue(
        run("params", "--config", config, "--method", "full")[1].contains(
            "trainable params: 494,032,768 || all params: 494,032,768"));
    assertTrue(
        run("params", "--config", config, "--method", "prompt", "--virtual-tokens", "20")[1]
            .contains("trainable params: 17,920 ||"));
    assertTrue(
        run("params", "--config", config, "--method", "qlora")[1].contains(
            "trainable params: 540,672 ||"));
  }

  @Test
  void badInputIsReportedWithoutAStackTrace() throws IOException {
    String[] missing = run("params", "--config", dir.resolve("nope.json").toString());
    assertEquals("2", missing[0]);
    assertTrue(missing[2].contains("nope.json: not found"), missing[2]);
    String[] method = run("params", "--config", qwenConfig().toString(), "--method", "ia3");
    assertTrue(
        method[2].contains("--method must be full, lora, qlora or prompt, got 'ia3'"), method[2]);
    String[] target = run("params", "--config", qwenConfig().toString(), "--targets", "c_attn");
    assertTrue(target[2].contains("[c_attn] match no module"), target[2]);
  }
}
