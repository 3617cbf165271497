package org.tuninglab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import org.tuninglab.data.DatasetFormatException;
import org.tuninglab.data.PackedSequences;
import org.tuninglab.data.SftCollator;
import org.tuninglab.data.TextCorpus;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.peft.FullFineTune;
import org.tuninglab.score.HoldoutLoss;
import org.tuninglab.testing.TinyModelDir;

/** Pretrains a tiny model on the start of the shipped story corpus and pins what it does. */
class PretrainRecipeTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  /** The first stories of the shipped corpus as a small train and holdout file. */
  private static Path config(Path tmp, int steps, String extra) throws IOException {
    List<String> stories = TextCorpus.documents(ROOT.resolve("datasets/stories/train.txt"));
    Files.writeString(tmp.resolve("train.txt"), String.join("\n\n", stories.subList(0, 60)) + "\n");
    Files.writeString(
        tmp.resolve("holdout.txt"), String.join("\n\n", stories.subList(60, 70)) + "\n");
    Path config = tmp.resolve("pretrain.yaml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "train_file: train.txt",
            "holdout_file: holdout.txt",
            "vocab_size: 320",
            "hidden_size: 32",
            "intermediate_size: 64",
            "num_layers: 2",
            "num_heads: 4",
            "num_kv_heads: 2",
            "context_length: 32",
            "lr: 1e-2",
            "warmup_steps: 1",
            "batch_size: 4",
            "max_steps: " + steps,
            "output_dir: run",
            extra));
    return config;
  }

  @Test
  void pretrainsATinyModelWithPinnedLossesAndSavesItInHuggingFaceLayout(@TempDir Path tmp)
      throws IOException {
    PretrainConfig config = PretrainConfigFile.load(config(tmp, 6, ""));
    PretrainResult result = PretrainRecipe.run(config, Device.cpu());

    assertEquals(StopReason.COMPLETED, result.training().reason());
    assertEquals(320, result.vocabSize());
    assertEquals(
        ModelConfig.builder()
            .setVocabSize(320)
            .setHiddenSize(32)
            .setIntermediateSize(64)
            .setNumLayers(2)
            .setNumHeads(4)
            .optNumKvHeads(2)
            .optTieWordEmbeddings(true)
            .build()
            .parameterCount(),
        result.parameters());
    // Untrained, the model is about as good as a uniform guess over the vocabulary.
    assertEquals(Math.log(320), result.initialHoldoutLoss(), 0.05);
    List<Double> losses = result.training().losses();
    assertEquals(6, losses.size());
    double[] pinned = {5.7753, 5.7866, 5.6192, 5.3814, 5.2488, 5.2543};
    for (int i = 0; i < pinned.length; i++) {
      assertEquals(pinned[i], losses.get(i), 1e-3, "step " + (i + 1) + " of " + losses);
    }
    assertTrue(result.finalHoldoutLoss() < result.initialHoldoutLoss() - 0.5, result.toString());

    Path dir = result.modelDir();
    for (String file :
        List.of(
            "config.json",
            "model.safetensors",
            "tokenizer.json",
            "tokenizer_config.json",
            "generation_config.json")) {
      assertTrue(Files.exists(dir.resolve(file)), file);
    }
    // The saved model scores the holdout as the trained one did.
    try (PretrainedModel model = PretrainedModel.load(dir, Device.cpu(), DataType.FLOAT32);
        FullFineTune full = FullFineTune.apply(model.model())) {
      int endOfText = model.tokenizer().specialTokens().pad().getAsInt();
      var holdout =
          PackedSequences.pack(
              model.tokenizer(),
              TextCorpus.documents(config.holdoutFile()),
              endOfText,
              32,
              "holdout");
      SftCollator collator =
          SftCollator.builder().setTokenizer(model.tokenizer()).setMaxLength(32).build();
      double loss =
          HoldoutLoss.compute(full, collator.batches(holdout, 4), model.model().manager())
              .mean();
      assertEquals(result.finalHoldoutLoss(), loss, 1e-4);
      assertNotNull(model.chatTemplate().orElse(null));
      assertEquals(32, model.model().config().maxPositions());
    }
  }

  @Test
  void copyDrillsJoinTheCorpusAndEveryEvaluationRunsTheCopyingTest(@TempDir Path tmp)
      throws IOException {
    PretrainConfig config =
        PretrainConfigFile.load(config(tmp, 6, "copy_drill_fraction: 0.25\neval_every: 3"));
    assertEquals(0.25, config.copyDrillFraction());
    PretrainResult result = PretrainRecipe.run(config, Device.cpu());

    // A quarter of all rows: one drill row for every three corpus rows.
    assertEquals(Math.round(result.trainSequences() / 3.0), result.copyDrillSequences());
    List<Double> losses = result.training().losses();
    double[] pinned = {5.7771, 5.7521, 5.7386, 5.5628, 5.5016, 5.4939};
    for (int i = 0; i < pinned.length; i++) {
      assertEquals(pinned[i], losses.get(i), 1e-3, "step " + (i + 1) + " of " + losses);
    }
    List<EvalReport> evaluations = result.training().evaluations();
    assertEquals(List.of(3L, 6L), evaluations.stream().map(EvalReport::step).toList());
    for (EvalReport e : evaluations) {
      double first = e.metrics().get(PretrainObjective.REPEAT_FIRST_PASS);
      double repeat = e.metrics().get(PretrainObjective.REPEAT_SECOND_PASS);
      // Six updates teach no copying: both passes score alike, near a uniform guess.
      assertEquals(first, repeat, 0.3, e.toString());
      assertTrue(first > 4 && first < 8, e.toString());
    }
  }

  @Test
  void copyDrillRowsMakeUpTheirFraction() {
    TrainerConfig settings =
        TrainerConfig.builder().optBatchSize(4).optGradAccumulation(2).optMaxSteps(10).build();
    assertEquals(0, PretrainRecipe.copyDrillRows(1000, 0, settings));
    assertEquals(1000, PretrainRecipe.copyDrillRows(1000, 0.5, settings));
    assertEquals(111, PretrainRecipe.copyDrillRows(1000, 0.1, settings));
    // Drills alone: a fresh row for each of the 10 x 4 x 2 rows trained.
    assertEquals(80, PretrainRecipe.copyDrillRows(1000, 1, settings));
  }

  @Test
  void aDrillOnlyStageThenAContinuedRunOnTheCorpus(@TempDir Path tmp) throws IOException {
    Path first = Files.createDirectories(tmp.resolve("first"));
    PretrainResult drills =
        PretrainRecipe.run(
            PretrainConfigFile.load(config(first, 4, "copy_drill_fraction: 1")), Device.cpu());
    assertEquals(0, drills.trainSequences());
    assertEquals(0, drills.trainTokens());
    assertEquals(4 * 4, drills.copyDrillSequences());
    double[] drillPins = {5.7707, 5.7625, 5.7711, 5.7757};
    List<Double> drillLosses = drills.training().losses();
    for (int i = 0; i < drillPins.length; i++) {
      assertEquals(drillPins[i], drillLosses.get(i), 1e-3, "step " + (i + 1) + " of " + drillLosses);
    }

    // The second stage names no shape: it takes the first model's, tokenizer and weights.
    Path second = Files.createDirectories(tmp.resolve("second"));
    PretrainConfig continued =
        PretrainConfigFile.load(
            shapeless(config(second, 3, "init_from: ../first/run/final\ncopy_drill_fraction: 0.25")));
    assertEquals(drills.modelDir().normalize(), continued.initFrom().normalize());
    assertEquals(2, continued.model().numKvHeads());
    PretrainResult result = PretrainRecipe.run(continued, Device.cpu());
    // It starts where the first stage ended, and its folder carries the same tokenizer.
    assertEquals(drills.finalHoldoutLoss(), result.initialHoldoutLoss(), 1e-5);
    assertEquals(drills.parameters(), result.parameters());
    assertTrue(result.trainSequences() > 0 && result.copyDrillSequences() > 0, result.toString());
    assertArrayEquals(
        Files.readAllBytes(drills.modelDir().resolve("tokenizer.json")),
        Files.readAllBytes(result.modelDir().resolve("tokenizer.json")));
    assertTrue(Files.exists(result.modelDir().resolve("generation_config.json")));
    assertTrue(result.finalHoldoutLoss() < result.initialHoldoutLoss(), result.toString());

    // A third stage at a longer context: the same weights, and the saved model records the length.
    Path third = Files.createDirectories(tmp.resolve("third"));
    Path longer = shapeless(config(third, 1, "init_from: ../second/run/final"));
    Files.writeString(longer, "context_length: 64\n", java.nio.file.StandardOpenOption.APPEND);
    PretrainResult extended = PretrainRecipe.run(PretrainConfigFile.load(longer), Device.cpu());
    assertEquals(result.parameters(), extended.parameters());
    assertEquals(64, ModelConfig.load(extended.modelDir()).maxPositions());
    assertEquals(32, ModelConfig.load(result.modelDir()).maxPositions());

    // A deeper model grown from the second (2 layers to 4): it starts computing exactly what the
    // second stage's model did, with the parameters of 4 layers.
    Path grown = Files.createDirectories(tmp.resolve("grown"));
    Path deeper = shapeless(config(grown, 1, "init_from: ../second/run/final"));
    Files.writeString(deeper, "num_layers: 4\n", java.nio.file.StandardOpenOption.APPEND);
    PretrainResult grew = PretrainRecipe.run(PretrainConfigFile.load(deeper), Device.cpu());
    assertEquals(result.finalHoldoutLoss(), grew.initialHoldoutLoss(), 1e-5);
    assertEquals(
        ModelConfig.load(result.modelDir()).withNumLayers(4).parameterCount(), grew.parameters());
    Files.writeString(deeper, Files.readString(deeper).replace("num_layers: 4", "num_layers: 3"));
    ConfigFormatException odd =
        assertThrows(ConfigFormatException.class, () -> PretrainConfigFile.load(deeper));
    assertEquals("num_layers", odd.key());
    assertTrue(odd.getMessage().contains("2 or a multiple of it"), odd.getMessage());
  }

  /** The config without its shape keys (a continued run takes them from the saved model). */
  private static Path shapeless(Path config) throws IOException {
    List<String> kept =
        Files.readAllLines(config).stream()
            .filter(l -> !l.matches("(vocab_size|hidden_size|intermediate_size|num_layers"
                + "|num_heads|num_kv_heads|context_length): .*"))
            .toList();
    Files.write(config, kept);
    return config;
  }

  @Test
  void packingTrainsEveryTokenButTheFirstExactlyOnce() throws IOException {
    try (var tokenizer = org.tuninglab.tokenize.HfTokenizer.load(TinyModelDir.tokenizerFixture())) {
      List<String> docs = List.of("Anna went home.", "Ben found a key near the river.", "The end.");
      int[] stream = PackedSequences.stream(tokenizer, docs, 0);
      var packed = PackedSequences.pack(tokenizer, docs, 0, 5, "t");
      int labels = 0;
      for (int i = 0; i < packed.size(); i++) {
        var e = packed.examples().get(i);
        assertEquals(stream[i * 4], e.ids()[0]);
        labels += e.length() - 1;
      }
      assertEquals(stream.length - 1, labels);
    }
  }

  @Test
  void badConfigsAndCorporaNameTheProblem(@TempDir Path tmp) throws IOException {
    ConfigFormatException unknown =
        assertThrows(
            ConfigFormatException.class,
            () -> PretrainConfigFile.load(config(tmp, 2, "layers: 3")));
    assertEquals("layers", unknown.key());
    ConfigFormatException heads =
        assertThrows(
            ConfigFormatException.class,
            () -> PretrainConfigFile.load(config(tmp, 2, "hidden_size: 30")));
    assertTrue(heads.getMessage().contains("multiple of num_heads"), heads.getMessage());
    ConfigFormatException lr =
        assertThrows(
            ConfigFormatException.class, () -> PretrainConfigFile.load(config(tmp, 2, "lr: fast")));
    assertTrue(lr.getMessage().contains("\"lr\": expected a number"), lr.getMessage());

    ConfigFormatException drill =
        assertThrows(
            ConfigFormatException.class,
            () -> PretrainConfigFile.load(config(tmp, 2, "copy_drill_fraction: 1.5")));
    assertEquals("copy_drill_fraction", drill.key());
    assertTrue(drill.getMessage().contains("[0.0, 1.0]"), drill.getMessage());
    ConfigFormatException drillsByEpoch =
        assertThrows(
            ConfigFormatException.class,
            () -> PretrainConfigFile.load(config(tmp, 0, "copy_drill_fraction: 1\nepochs: 2")));
    assertTrue(drillsByEpoch.getMessage().contains("needs max_steps"), drillsByEpoch.getMessage());

    ConfigFormatException missing =
        assertThrows(
            ConfigFormatException.class,
            () -> PretrainConfigFile.load(config(tmp, 2, "init_from: no-such-model")));
    assertEquals("init_from", missing.key());
    assertTrue(missing.getMessage().contains("config.json"), missing.getMessage());
    Path saved = Files.createDirectories(tmp.resolve("saved"));
    ModelConfig.builder()
        .setVocabSize(320)
        .setHiddenSize(32)
        .setIntermediateSize(64)
        .setNumLayers(3)
        .setNumHeads(4)
        .optNumKvHeads(2)
        .optMaxPositions(32)
        .optTieWordEmbeddings(true)
        .build()
        .save(saved);
    ConfigFormatException layers =
        assertThrows(
            ConfigFormatException.class,
            () -> PretrainConfigFile.load(config(tmp, 2, "init_from: saved")));
    assertEquals("num_layers", layers.key());
    assertTrue(
        layers.getMessage().contains("must be the init_from model's 3 or a multiple of it"),
        layers.getMessage());
    ConfigFormatException initStd =
        assertThrows(
            ConfigFormatException.class,
            () ->
                PretrainConfigFile.load(
                    shapeless(config(tmp, 2, "init_from: saved\ninit_std: 0.1"))));
    assertEquals("init_std", initStd.key());

    PretrainConfig config = PretrainConfigFile.load(config(tmp, 2, ""));
    Files.writeString(tmp.resolve("train.txt"), "\n\n  \n");
    DatasetFormatException empty =
        assertThrows(DatasetFormatException.class, () -> PretrainRecipe.run(config, Device.cpu()));
    assertTrue(empty.getMessage().contains("train.txt"), empty.getMessage());
    assertTrue(empty.getMessage().contains("no documents"), empty.getMessage());
  }

  @Test
  void theStoryCorpusConfigReadsAsDocumented() throws IOException {
    PretrainConfig config =
        PretrainConfigFile.load(ROOT.resolve("configs/tuninglab-stories-pretrain.yaml"));
    assertEquals(
        ROOT.resolve("datasets/stories/train.txt").normalize(), config.trainFile().normalize());
    assertEquals(1024, config.vocabSize());
    assertEquals(6, config.model().numLayers());
    assertEquals(256, config.contextLength());
    assertArrayEquals(
        new long[] {128, 4, 2},
        new long[] {
          config.model().hiddenSize(), config.model().numHeads(), config.model().numKvHeads()
        });
  }

  @Test
  void theTwoStageCopyConfigsReadAsDocumented(@TempDir Path tmp) throws IOException {
    PretrainConfig drills =
        PretrainConfigFile.load(ROOT.resolve("configs/tuninglab-copy-drills.yaml"));
    assertEquals(512, drills.vocabSize());
    assertEquals(2, drills.model().numLayers());
    assertEquals(128, drills.contextLength());
    assertEquals(1, drills.copyDrillFraction());
    // Stage 2 reads stage 1's saved shape: a stand-in where stage 1 writes its model.
    Path stage1 = Files.createDirectories(tmp.resolve("runs/tuninglab-copy-drills/final"));
    drills.model().withMaxPositions(drills.contextLength()).save(stage1);
    Path configs = Files.createDirectories(tmp.resolve("configs"));
    Path mixConfig =
        Files.copy(
            ROOT.resolve("configs/tuninglab-copy-mix.yaml"), configs.resolve("copy-mix.yaml"));
    PretrainConfig mix = PretrainConfigFile.load(mixConfig);
    assertEquals(stage1.normalize(), mix.initFrom().normalize());
    assertEquals(2, mix.model().numLayers());
    assertEquals(1024, mix.contextLength());
    assertEquals(0.25, mix.copyDrillFraction());
  }

  @Test
  void theMixConfigReadsAsDocumented() throws IOException {
    PretrainConfig config =
        PretrainConfigFile.load(ROOT.resolve("configs/tuninglab-mix-pretrain.yaml"));
    assertEquals(
        ROOT.resolve("datasets/pretraining/train.txt").normalize(),
        config.trainFile().normalize());
    assertEquals("<|endoftext|>", config.documentSeparator());
    assertEquals(2048, config.vocabSize());
    assertEquals(8, config.model().numLayers());
    assertEquals(512, config.contextLength());
    assertArrayEquals(
        new long[] {160, 5, 5},
        new long[] {
          config.model().hiddenSize(), config.model().numHeads(), config.model().numKvHeads()
        });
  }
}
