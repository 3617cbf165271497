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
  void loadsAndContinuesAsPinned() throws IOException {
    try (PretrainedModel model = PretrainedModel.load(MODEL, Device.cpu(), DataType.FLOAT32)) {
      ModelConfig config = model.model().config();
      assertEquals(Architecture.LLAMA, config.architecture());
      assertEquals(
          List.of(512, 128, 384, 4, 4, 4, 1024),
          List.of(
              config.vocabSize(),
              config.hiddenSize(),
              config.intermediateSize(),
              config.numLayers(),
              config.numHeads(),
              config.numKvHeads(),
              config.maxPositions()));
      assertTrue(config.tieWordEmbeddings());
      assertEquals(918_656, config.parameterCount());
      LanguageModel lm = LanguageModel.of(model);
      // A story's opening, then a loop: the last stage rehearsed the stories as chat answers, not
      // as plain text (model card).
      assertEquals(" the square in Ashford. In the evening, In the evening, In the evening, In the"
              + " evening,",
          lm.complete("Anna went to", GenerationConfig.greedy(40)).text(),
          "the model card's continuation");
      // The town of the first sentence again (the first model on the mix, which could not copy,
      // wrote Millbrook; RepeatedTokensLossTest measures the copying itself).
      String copied = lm.complete("Yusuf gave Wendy a cup in Pinecrest. Then Yusuf gave Wendy a cup in",
          GenerationConfig.greedy(6)).text();
      assertTrue(copied.startsWith(" Pinecrest."), copied);
    }
  }

  @Test
  void holdoutLossIsPinnedAndFarBelowAUniformGuess() throws IOException {
    try (PretrainedModel model = PretrainedModel.load(MODEL, Device.cpu(), DataType.FLOAT32)) {
      TokenLoss loss =
          CorpusLoss.compute(
              model, ForwardPass.of(model.model()), ROOT.resolve("datasets/stories/holdout.txt"),
              256);
      assertEquals(35_602, loss.tokens());
      // 0.52 after stage 3, 1.93 after stage 4 (answers only); stage 5 tells stories as answers.
      assertEquals(0.6611, loss.mean(), 0.01, "the card states this holdout loss");
      assertTrue(loss.mean() < Math.log(model.tokenizer().vocabSize()) / 3, loss.toString());
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
              d.systemPrompt(), d.maxLength(), d.documentSeparator());
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
