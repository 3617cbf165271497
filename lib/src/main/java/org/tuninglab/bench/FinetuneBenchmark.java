package org.tuninglab.bench;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tuninglab.chat.ChatModel;
import org.tuninglab.chat.ForwardPassChatModel;
import org.tuninglab.data.DatasetFormatException;
import org.tuninglab.data.EncodedDataset;
import org.tuninglab.data.Example;
import org.tuninglab.data.PromptCompletion;
import org.tuninglab.data.SftCollator;
import org.tuninglab.eval.EntityExtractor;
import org.tuninglab.eval.EntityOverlap;
import org.tuninglab.eval.EvalHarness;
import org.tuninglab.eval.EvalResult;
import org.tuninglab.eval.ExactMatch;
import org.tuninglab.eval.JsonValidity;
import org.tuninglab.eval.LabelledExample;
import org.tuninglab.eval.Strategy;
import org.tuninglab.generate.GenerationConfig;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.peft.AdaptedModel;
import org.tuninglab.peft.LoraModel;
import org.tuninglab.peft.PromptTuningModel;
import org.tuninglab.peft.QloraModel;
import org.tuninglab.prompt.PromptTemplate;
import org.tuninglab.train.DataConfig;
import org.tuninglab.train.EvalReport;
import org.tuninglab.train.ForwardPass;
import org.tuninglab.train.HoldoutLoss;
import org.tuninglab.train.SftConfig;
import org.tuninglab.train.SftRecipe;
import org.tuninglab.train.SftResult;

/**
 * Fine-tunes with a recipe config and measures the model before and after on the same holdout: the
 * holdout loss, and for the first examples a greedy answer scored by the evaluation harness (exact
 * match, valid JSON, entity F1; see {@link ExtractionScore}). The reference is the untuned model, measured in the same run.
 * Greedy decoding goes through each method's own forward pass, so prompt tuning's virtual tokens
 * take part.
 */
public final class FinetuneBenchmark {
  /** What one config did. */
  public record Row(
      String config,
      String method,
      long trainableParameters,
      double seconds,
      double lossBefore,
      double lossAfter,
      ExtractionScore before,
      ExtractionScore after) {}

  private FinetuneBenchmark() {}

  /**
   * Runs one config.
   *
   * @param file the config's file (for the row's name)
   * @param config the config; its output folder receives the trained model or adapter
   * @param device where to train
   * @param scored how many holdout examples to answer greedily before and after
   * @param maxNewTokens the answer length limit
   * @return the measurements
   * @throws IOException if the model, the data or an output cannot be read or written
   */
  public static Row run(Path file, SftConfig config, Device device, int scored, int maxNewTokens)
      throws IOException {
    List<PromptCompletion> holdout = holdout(config.data(), config.trainer().seed());
    List<PromptCompletion> sample = holdout.subList(0, Math.min(scored, holdout.size()));
    try (PretrainedModel pretrained =
        PretrainedModel.load(config.model(), device, config.precision().dataType())) {
      SftCollator collator = SftRecipe.collator(config.data(), pretrained);
      EncodedDataset encoded = collator.encodeAll(holdout);
      ForwardPass base = ForwardPass.of(pretrained.model());
      double lossBefore =
          HoldoutLoss.compute(
                  base,
                  collator,
                  encoded,
                  config.trainer().batchSize(),
                  pretrained.model().manager())
              .mean();
      ExtractionScore before =
          score(new ForwardPassChatModel("before", pretrained, base), config.data(), sample,
              maxNewTokens);

      long start = System.nanoTime();
      SftResult result = SftRecipe.run(config, pretrained);
      double seconds = (System.nanoTime() - start) / 1e9;
      List<EvalReport> evals = result.training().evaluations();
      double lossAfter = evals.isEmpty() ? Double.NaN : evals.get(evals.size() - 1).loss();

      ExtractionScore after;
      long trainable;
      if (result.adapter() == null) {
        // A full fine-tune trained the loaded model's weights in place.
        trainable = pretrained.model().config().parameterCount();
        after =
            score(new ForwardPassChatModel("after", pretrained, base), config.data(), sample,
                maxNewTokens);
      } else {
        try (PretrainedModel fresh =
                PretrainedModel.load(config.model(), device, config.precision().dataType());
            AdaptedModel adapted = loadAdapter(config.method(), result.adapter(), fresh)) {
          trainable = adapted.trainableArrays().stream().mapToLong(a -> a.array().size()).sum();
          after =
              score(new ForwardPassChatModel("after", fresh, ForwardPass.of(adapted)),
                  config.data(), sample, maxNewTokens);
        }
      }
      return new Row(
          file.getFileName().toString(),
          config.method(),
          trainable,
          seconds,
          lossBefore,
          lossAfter,
          before,
          after);
    }
  }

  private static AdaptedModel loadAdapter(String method, Path dir, PretrainedModel model)
      throws IOException {
    return switch (method) {
      case "lora" -> LoraModel.load(dir, model.model());
      case "qlora" -> QloraModel.load(dir, model.model());
      case "prompt" -> PromptTuningModel.load(dir, model.model());
      default -> throw new IllegalArgumentException("no adapter for method " + method);
    };
  }

  /** The recipe's holdout: the same split, so the loss compares with the trainer's. */
  private static List<PromptCompletion> holdout(DataConfig data, long seed) throws IOException {
    List<Example> held = SftRecipe.split(data, seed).holdout();
    List<PromptCompletion> out = new ArrayList<>();
    for (Example e : held) {
      if (!(e instanceof PromptCompletion pc)) {
        throw new DatasetFormatException(
            data.trainFile(),
            1,
            "(file)",
            "this benchmark scores prompt/completion examples; "
                + e.origin()
                + " is a conversation");
      }
      out.add(pc);
    }
    return out;
  }

  /**
   * Greedy answers to the sample through {@code chat}, scored by the evaluation harness: exact
   * match (normalised), valid JSON, and F1 over typed entities ({@code people: Anna}) read from
   * the answer's and the reference's JSON.
   */
  private static ExtractionScore score(
      ChatModel chat, DataConfig data, List<PromptCompletion> sample, int maxNewTokens) {
    EntityExtractor typed = EntityExtractor.jsonFields();
    List<LabelledExample> labelled = new ArrayList<>();
    for (int i = 0; i < sample.size(); i++) {
      PromptCompletion pc = sample.get(i);
      labelled.add(
          LabelledExample.of("holdout-" + i, pc.prompt(), pc.completion())
              .withEntitiesFromReference(typed));
    }
    PromptTemplate.Builder prompt = PromptTemplate.builder().setTemplate("{input}");
    if (data.systemPrompt() != null) {
      prompt.optSystemPrompt(data.systemPrompt());
    }
    EvalResult result =
        EvalHarness.builder()
            .setExamples(labelled)
            .addStrategy(Strategy.template(chat.name(), chat, prompt.build()))
            .addMetric(ExactMatch.normalized())
            .addMetric(JsonValidity.any())
            .addMetric(EntityOverlap.f1(typed))
            .optGeneration(GenerationConfig.greedy(maxNewTokens))
            .build()
            .run();
    return new ExtractionScore(
        sample.size(),
        result.value(chat.name(), "exact_match"),
        result.value(chat.name(), "json_valid"),
        result.value(chat.name(), "entity_f1"));
  }
}
