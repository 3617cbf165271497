package org.tuninglab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.tuninglab.peft.LoraConfig;
import org.tuninglab.peft.PromptInit;

/** The presets in {@code configs/} parse (without running them), so they cannot rot. */
class ConfigPresetsTest {
  /** The repository's {@code configs/}: tests run in the {@code lib} module's folder. */
  private static final Path CONFIGS = Path.of("").toAbsolutePath().getParent().resolve("configs");

  /** The recipe presets of one model, for example {@code qwen2.5-0.5b-}. */
  private static List<Path> presets(String model) throws IOException {
    try (Stream<Path> files = Files.list(CONFIGS)) {
      return files
          .filter(f -> f.getFileName().toString().startsWith(model))
          .filter(f -> f.toString().matches(".*-(full|lora|qlora|prompt)\\.(ya?ml|json)"))
          .filter(f -> !f.getFileName().toString().contains("-dpo-"))
          .sorted()
          .toList();
    }
  }

  @Test
  void everyPresetParsesAndOpensWithItsCommand() throws IOException {
    List<Path> presets = presets("qwen2.5-0.5b-");
    assertEquals(4, presets.size(), presets.toString());
    for (Path preset : presets) {
      SftConfig config = SftConfigFile.load(preset);
      String first = Files.readAllLines(preset).get(0);
      assertEquals("# ./tuninglab train configs/" + preset.getFileName(), first, preset.toString());
      assertTrue(preset.getFileName().toString().contains("-" + config.method().name() + "."), preset.toString());
      assertEquals(Precision.FP32, config.precision(), preset.toString());
      assertEquals(0.1, config.data().holdoutFraction(), preset.toString());
      assertEquals(1024, config.data().maxLength(), preset.toString());
      assertEquals("Solve the following math problem.", config.data().systemPrompt(), preset.toString());
    }
  }

  @Test
  void embeddedModelPresetsShareTheTaskAndTheSplit() throws IOException {
    List<Path> presets = presets("tuninglab-tiny-");
    assertEquals(4, presets.size(), presets.toString());
    for (Path preset : presets) {
      SftConfig config = SftConfigFile.load(preset);
      assertEquals("# ./tuninglab train configs/" + preset.getFileName(), Files.readAllLines(preset).get(0));
      assertTrue(preset.getFileName().toString().contains("-" + config.method().name() + "."), preset.toString());
      assertEquals(CONFIGS.resolveSibling("models/tuninglab-tiny").toString(),
          Path.of(config.model()).normalize().toString(), preset.toString());
      assertTrue(config.data().trainFile().endsWith(Path.of("datasets/entities/entities.jsonl")));
      assertEquals(0.1, config.data().holdoutFraction(), preset.toString());
      assertEquals(42, config.trainer().seed(), preset.toString());
      assertEquals("Extract the people, places and dates as JSON.", config.data().systemPrompt());
    }
    for (String method : List.of("lora", "qlora")) {
      SftConfig c = SftConfigFile.load(CONFIGS.resolve("tuninglab-tiny-" + method + ".yaml"));
      assertEquals(new LoraConfig(16, 32, 0.05, List.of("all-linear"), false, 42), c.lora());
    }
  }

  @Test
  void presetsMirrorThePythonWorkshop() throws IOException {
    SftConfig full = SftConfigFile.load(CONFIGS.resolve("qwen2.5-0.5b-full.yaml"));
    assertEquals(5e-5, full.trainer().lr());
    assertEquals(4, full.trainer().batchSize());
    assertEquals(2, full.trainer().epochs());
    assertEquals(20, full.trainer().evalEvery());

    for (String method : List.of("lora", "qlora")) {
      SftConfig c = SftConfigFile.load(CONFIGS.resolve("qwen2.5-0.5b-" + method + ".yaml"));
      assertEquals(new LoraConfig(8, 32, 0.05, List.of("q_proj", "v_proj"), false, 42), c.lora());
      assertEquals(1e-4, c.trainer().lr());
      assertEquals(ScheduleKind.COSINE, c.trainer().schedule());
      assertEquals(0.03, c.trainer().warmupRatio());
      assertEquals(0.001, c.trainer().adamw().weightDecay());
      assertEquals(0.3, c.trainer().maxGradNorm());
      assertEquals(8, c.trainer().batchSize());
      assertEquals(3, c.trainer().epochs());
    }

    SftConfig prompt = SftConfigFile.load(CONFIGS.resolve("qwen2.5-0.5b-prompt.yaml"));
    assertEquals(20, prompt.prompt().numVirtualTokens());
    assertEquals(PromptInit.TEXT, prompt.prompt().init());
    assertEquals("Solve the following math problem:", prompt.prompt().initText());
    assertEquals(5e-3, prompt.trainer().lr());
  }

  @Test
  void dpoPresetsStartFromTheSftModelOnTheShippedPairs() throws IOException {
    List<Path> presets;
    try (Stream<Path> files = Files.list(CONFIGS)) {
      presets = files.filter(f -> f.getFileName().toString().startsWith("tuninglab-tiny-dpo-")).sorted().toList();
    }
    assertEquals(2, presets.size(), presets.toString());
    for (Path preset : presets) {
      assertEquals(TrainingStage.DPO, TrainingStage.of(preset), preset.toString());
      DpoConfig config = DpoConfigFile.load(preset);
      assertEquals("# ./tuninglab train configs/" + preset.getFileName(), Files.readAllLines(preset).get(0));
      assertTrue(preset.getFileName().toString().endsWith("-" + config.method().name() + ".yaml"), preset.toString());
      assertEquals(CONFIGS.resolveSibling("runs/tuninglab-tiny-full/final").toString(), config.model(),
          "the output of tuninglab-tiny-full.yaml");
      assertTrue(config.data().trainFile().endsWith(Path.of("datasets/preferences/train.jsonl")));
      assertTrue(config.data().evalFile().endsWith(Path.of("datasets/preferences/holdout.jsonl")));
      assertEquals(0.5, config.loss().beta(), preset.toString());
      assertEquals("Extract the people, places and dates as JSON.", config.data().systemPrompt());
    }
    assertEquals(ReferenceChoice.PRECOMPUTED,
        DpoConfigFile.load(CONFIGS.resolve("tuninglab-tiny-dpo-lora.yaml")).reference());
  }
}
