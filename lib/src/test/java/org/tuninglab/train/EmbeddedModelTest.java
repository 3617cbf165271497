package org.tuninglab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tuninglab.eval.CorpusLoss;
import org.tuninglab.generate.GenerationConfig;
import org.tuninglab.generate.LanguageModel;
import org.tuninglab.model.Architecture;
import org.tuninglab.model.ModelConfig;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.score.ForwardPass;
import org.tuninglab.score.TokenLoss;

/** The shipped embedded model (models/tuninglab-tiny) and its fine-tuning presets. */
class EmbeddedModelTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path MODEL = ROOT.resolve("models/tuninglab-tiny");

  @Test
  void loadsAndContinuesAStoryAsPinned() throws IOException {
    try (PretrainedModel model = PretrainedModel.load(MODEL, Device.cpu(), DataType.FLOAT32)) {
      ModelConfig config = model.model().config();
      assertEquals(Architecture.LLAMA, config.architecture());
      assertEquals(
          List.of(1024, 128, 384, 6, 4, 2, 256),
          List.of(
              config.vocabSize(),
              config.hiddenSize(),
              config.intermediateSize(),
              config.numLayers(),
              config.numHeads(),
              config.numKvHeads(),
              config.maxPositions()));
      assertTrue(config.tieWordEmbeddings());
      assertEquals(1_312_384, config.parameterCount());
      String text = LanguageModel.of(model).complete("Anna went to", GenerationConfig.greedy(40)).text();
      assertEquals(PINNED_CONTINUATION, text);
    }
  }

  /** Greedy, 40 tokens after "Anna went to", as the model card shows it. */
  private static final String PINNED_CONTINUATION =
      " the forest in Ashford. At ten o'clock, Anna met Jack at the hill. She found eight heavy"
          + " cakes near the park. She found nine heavy cakes near the harbour. She had eight cakes";

  @Test
  void holdoutLossIsPinnedAndFarBelowAUniformGuess() throws IOException {
    try (PretrainedModel model = PretrainedModel.load(MODEL, Device.cpu(), DataType.FLOAT32)) {
      TokenLoss loss =
          CorpusLoss.compute(
              model, ForwardPass.of(model.model()), ROOT.resolve("datasets/stories/holdout.txt"),
              256);
      assertEquals(16_141, loss.tokens());
      assertEquals(0.9484, loss.mean(), 0.01, "the card states this holdout loss");
      assertTrue(loss.mean() < Math.log(model.tokenizer().vocabSize()) / 4, loss.toString());
    }
  }

  @Test
  void eachPresetLowersTheHoldoutLossInAFewSteps() throws IOException {
    for (String method : List.of("full", "lora", "qlora", "prompt")) {
      SftConfig preset =
          SftConfigFile.load(ROOT.resolve("configs/tuninglab-tiny-" + method + ".yaml"));
      TrainerConfig t = preset.trainer();
      // Four updates without warmup, the holdout scored after each, no checkpoints.
      TrainerConfig fewSteps =
          TrainerConfig.builder()
              .optLr(t.lr())
              .optSchedule(t.schedule())
              .optAdamW(t.adamw())
              .optMaxGradNorm(t.maxGradNorm())
              .optBatchSize(t.batchSize())
              .optMaxSteps(4)
              .optEvalEvery(1)
              .optSeed(t.seed())
              .build();
      // A 2 % holdout (32 examples) keeps four evaluations cheap.
      DataConfig d = preset.data();
      DataConfig smallHoldout =
          new DataConfig(
              d.trainFile(), d.evalFile(), d.fields(), 0.02, d.holdoutField(), d.holdoutValues(),
              d.systemPrompt(), d.maxLength());
      SftConfig config =
          new SftConfig(
              preset.model(), preset.method(), smallHoldout, fewSteps, preset.precision(), false);
      SftResult result = SftRecipe.run(config);
      List<EvalReport> evals = result.training().evaluations();
      assertEquals(4, evals.size(), method);
      assertTrue(evals.get(3).loss() < evals.get(0).loss() - 0.01, method + ": " + evals);
    }
  }
}
