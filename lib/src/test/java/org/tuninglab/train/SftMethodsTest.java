package org.tuninglab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tuninglab.data.PromptCompletion;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.peft.AdaptedModel;
import org.tuninglab.peft.LoraModel;
import org.tuninglab.peft.PromptTuningModel;
import org.tuninglab.peft.QloraModel;
import org.tuninglab.score.HoldoutLoss;
import org.tuninglab.score.TokenLoss;
import org.tuninglab.track.RunStore;

/** Each adapter method end to end from a YAML config on the tiny model, and its resume. */
class SftMethodsTest {
  @TempDir Path tmp;

  /** The method's keys, with learning rates that move the tiny model within a few steps. */
  private static String methodKeys(String method) {
    return switch (method) {
      case "lora", "qlora" -> String.join("\n",
          "method: " + method, "lr: 2e-2", "lora_r: 4", "lora_alpha: 8",
          "lora_targets: q_proj, v_proj, down_proj", "");
      case "prompt" -> String.join("\n",
          "method: prompt", "lr: 1e-1", "virtual_tokens: 4", "prompt_init_text: hello world", "");
      default -> throw new IllegalArgumentException(method);
    };
  }

  private Path config(String name, String method, int maxSteps, String extra) throws IOException {
    return Files.writeString(
        tmp.resolve(name),
        String.join("\n",
            "model: tiny", "train_file: math.jsonl", "prompt_field: problem",
            "completion_field: solution", "holdout_field: subject", "holdout_values: [geometry]",
            "system_prompt: Reverse.", "max_length: 96", "batch_size: 4", "seed: 3",
            "max_steps: " + maxSteps, "")
            + methodKeys(method) + extra);
  }

  private static AdaptedModel load(String method, Path adapter, LlamaModel model) throws IOException {
    return switch (method) {
      case "lora" -> LoraModel.load(adapter, model);
      case "qlora" -> QloraModel.load(adapter, model);
      case "prompt" -> PromptTuningModel.load(adapter, model);
      default -> throw new IllegalArgumentException(method);
    };
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"lora", "qlora", "prompt"})
  void trainsFromAConfigAndSavesAnAdapterThatLoadsBack(String method) throws IOException {
    // A random model at GPT-2's scale attends almost uniformly, so a prompt barely steers it.
    Path modelDir = TinySft.writeModelDir(tmp.resolve("tiny"), method.equals("prompt") ? 0.3 : 0.02);
    TinySft.writeMathJsonl(tmp.resolve("math.jsonl"));
    SftConfig config =
        SftConfigFile.load(config("run.yaml", method, 8, "eval_every: 8\noutput_dir: out\n"));

    SftResult result = SftRecipe.run(config);

    assertEquals(StopReason.COMPLETED, result.training().reason());
    List<Double> losses = result.training().losses();
    assertTrue(losses.get(7) < losses.get(0) - 0.05, losses.toString());
    assertNull(result.finalModel(), "an adapter method does not write the whole model");
    assertEquals(tmp.resolve("out/adapter"), result.adapter());
    assertTrue(Files.isRegularFile(result.adapter().resolve("adapter_config.json")));
    assertTrue(Files.isRegularFile(result.adapter().resolve("adapter_model.safetensors")));

    // The saved adapter on a fresh base scores the holdout as the trained one did at step 8.
    double trainedLoss = result.training().evaluations().get(0).loss();
    try (TinySft sft = new TinySft();
        PretrainedModel base = PretrainedModel.load(modelDir, Device.cpu(), DataType.FLOAT32);
        AdaptedModel loaded = load(method, result.adapter(), base.model());
        NDManager manager = base.model().manager().newSubManager()) {
      List<PromptCompletion> all = TinySft.examples(20, 0);
      var holdout = sft.encode(List.of(all.get(0), all.get(5), all.get(10), all.get(15)));
      TokenLoss reloaded = HoldoutLoss.compute(loaded, sft.collator.batches(holdout, 4), manager);
      assertEquals(trainedLoss, reloaded.mean(), 1e-5);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"lora", "prompt"})
  void resumesFromACheckpointExactly(String method) throws IOException {
    TinySft.writeModelDir(tmp.resolve("tiny"));
    TinySft.writeMathJsonl(tmp.resolve("math.jsonl"));
    String straight = "schedule: constant\ncheckpoint_every: 3\noutput_dir: straight\n";
    String resumed = "schedule: constant\ncheckpoint_every: 3\noutput_dir: resumed\n";

    SftResult whole = SftRecipe.run(SftConfigFile.load(config("a.yaml", method, 6, straight)));
    SftRecipe.run(SftConfigFile.load(config("b.yaml", method, 3, resumed)));
    SftResult rest = SftRecipe.run(SftConfigFile.load(config("c.yaml", method, 6, resumed)));

    assertEquals(3, rest.training().losses().size(), "the second run resumed at step 3");
    List<Double> tail = whole.training().losses().subList(3, 6);
    for (int i = 0; i < 3; i++) {
      assertEquals(tail.get(i), rest.training().losses().get(i), 1e-6, "step " + (i + 4));
    }
    assertArrayEquals(
        Files.readAllBytes(whole.adapter().resolve("adapter_model.safetensors")),
        Files.readAllBytes(rest.adapter().resolve("adapter_model.safetensors")));
  }

  @Test
  void aTrackedRunRecordsTheMethodsSettings() throws IOException {
    TinySft.writeMathJsonl(tmp.resolve("math.jsonl"));
    SftConfig config = SftConfigFile.load(config("run.yaml", "lora", 1, "output_dir: out\n"));
    RunStore store = RunStore.open(tmp.resolve("store"));
    RunTrackingListener.forRecipe(store, config);
    Map<String, Object> recorded = store.runs().get(0).config();
    assertEquals("lora", recorded.get("method"));
    assertEquals(4, ((Map<?, ?>) recorded.get("lora")).get("r"), recorded.toString());
    assertNull(recorded.get("prompt"));
  }
}
