package org.tuninglab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.model.PretrainedModel;

class SftRecipeTest {
  @TempDir Path tmp;

  private Path tinyModelDir() throws IOException {
    return TinySft.writeModelDir(tmp.resolve("tiny"));
  }

  private void writeData() throws IOException {
    TinySft.writeMathJsonl(tmp.resolve("math.jsonl"));
  }

  @Test
  void runsFromAConfigFileAndSavesTheModel() throws IOException {
    tinyModelDir();
    writeData();
    Path config =
        Files.writeString(
            tmp.resolve("run.yaml"),
            String.join(
                "\n",
                "# ./tuninglab train run.yaml",
                "model: tiny",
                "method: full",
                "train_file: math.jsonl",
                "prompt_field: problem",
                "completion_field: solution",
                "holdout_field: subject",
                "holdout_values: [geometry]",
                "system_prompt: Reverse.",
                "max_length: 96",
                "lr: 1e-2",
                "schedule: cosine",
                "warmup_ratio: 0.1",
                "batch_size: 4",
                "max_steps: 6",
                "eval_every: 3",
                "seed: 3",
                "output_dir: out",
                ""));
    SftConfig parsed = SftConfigFile.load(config);
    assertEquals(tmp.resolve("tiny").toString(), parsed.model());
    assertEquals(tmp.resolve("out"), parsed.trainer().outputDir());
    SftResult result = SftRecipe.run(parsed);
    assertEquals(StopReason.COMPLETED, result.training().reason());
    assertEquals(16, result.trainExamples());
    assertEquals(4, result.holdoutExamples());
    assertEquals(2, result.training().evaluations().size());
    List<Double> losses = result.training().losses();
    assertTrue(losses.get(5) < losses.get(0), losses.toString());
    assertEquals(tmp.resolve("out/final"), result.finalModel());
    try (PretrainedModel trained =
        PretrainedModel.load(result.finalModel(), Device.cpu(), DataType.FLOAT32)) {
      assertEquals(TinySft.CONFIG.hiddenSize(), trained.model().config().hiddenSize());
    }
    assertTrue(Files.isDirectory(tmp.resolve("out/checkpoint-6")));
  }

  @Test
  void aTrackedRunResumedFromItsCheckpointAppendsToTheSameRun() throws IOException {
    tinyModelDir();
    writeData();
    String common = String.join("\n",
        "model: tiny", "train_file: math.jsonl", "prompt_field: problem",
        "completion_field: solution", "system_prompt: Reverse.", "max_length: 96", "lr: 1e-2", "batch_size: 4",
        "checkpoint_every: 1", "seed: 3", "output_dir: out", "");
    Path first = Files.writeString(tmp.resolve("first.yaml"), common + "max_steps: 3\n");
    Path second = Files.writeString(tmp.resolve("second.yaml"), common + "max_steps: 6\n");
    org.tuninglab.track.RunStore store = org.tuninglab.track.RunStore.open(tmp.resolve("store"));
    SftConfig c1 = SftConfigFile.load(first);
    SftRecipe.run(c1, RunTrackingListener.forRecipe(store, c1));
    SftConfig c2 = SftConfigFile.load(second);
    SftResult resumed = SftRecipe.run(c2, RunTrackingListener.forRecipe(store, c2));
    assertEquals(3, resumed.training().losses().size(), "the second run resumed at step 3");
    assertEquals(1, store.runs().size());
    var record = store.runs().get(0);
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L),
        record.history("train/loss").stream().map(p -> p.step()).toList());
    assertEquals("FINISHED", record.status().status().name());
    assertTrue(record.config().containsKey("trainer"), record.config().toString());
  }

  @Test
  void fp16OnCpuIsRefusedWithAHint() throws IOException {
    writeData();
    SftConfig config =
        SftConfig.full(
            "unused", DataConfig.of(tmp.resolve("math.jsonl")),
            TrainerConfig.builder().build(), Precision.FP16, false);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SftRecipe.run(config));
    assertTrue(e.getMessage().contains("set precision: fp32"), e.getMessage());
  }
}
