package org.tuninglab.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tuninglab.data.DatasetFormatException;
import org.tuninglab.data.EncodedDataset;
import org.tuninglab.data.Example;
import org.tuninglab.data.ExampleFiles;
import org.tuninglab.data.PromptCompletion;
import org.tuninglab.data.SftCollator;
import org.tuninglab.data.Split;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.peft.AdaptedModel;
import org.tuninglab.peft.LoraModel;
import org.tuninglab.peft.PromptTuningModel;
import org.tuninglab.peft.QloraModel;
import org.tuninglab.tokenize.ChatMessage;
import org.tuninglab.train.DataConfig;
import org.tuninglab.train.EvalReport;
import org.tuninglab.train.ForwardPass;
import org.tuninglab.train.HoldoutLoss;
import org.tuninglab.train.SftConfig;
import org.tuninglab.train.SftRecipe;
import org.tuninglab.train.SftResult;

/**
 * Fine-tunes with a recipe config and measures the model before and after on the same holdout: the
 * holdout loss, and for the first examples a greedy answer scored by {@link ExtractionScore} (exact
 * match, valid JSON, entity F1). The reference is the untuned model, measured in the same run.
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
    List<String> references = sample.stream().map(PromptCompletion::completion).toList();
    try (PretrainedModel pretrained =
        PretrainedModel.load(config.model(), device, config.precision().dataType())) {
      SftCollator collator = collator(config.data(), pretrained);
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
          ExtractionScore.of(
              answers(base, pretrained, config.data(), sample, maxNewTokens), references);

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
            ExtractionScore.of(
                answers(base, pretrained, config.data(), sample, maxNewTokens), references);
      } else {
        try (PretrainedModel fresh =
                PretrainedModel.load(config.model(), device, config.precision().dataType());
            AdaptedModel adapted = loadAdapter(config.method(), result.adapter(), fresh)) {
          trainable = adapted.trainableArrays().stream().mapToLong(a -> a.array().size()).sum();
          after =
              ExtractionScore.of(
                  answers(ForwardPass.of(adapted), fresh, config.data(), sample, maxNewTokens),
                  references);
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
    List<Example> examples = ExampleFiles.load(data.trainFile(), data.fields());
    List<Example> held;
    if (data.evalFile() != null) {
      held = ExampleFiles.load(data.evalFile(), data.fields());
    } else if (data.holdoutField() != null) {
      held =
          Split.byField(examples, data.holdoutField(), new HashSet<>(data.holdoutValues()))
              .holdout();
    } else {
      held = Split.random(examples, data.holdoutFraction(), seed).holdout();
    }
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

  private static SftCollator collator(DataConfig data, PretrainedModel model) {
    SftCollator.Builder b =
        SftCollator.builder().setTokenizer(model.tokenizer()).setMaxLength(data.maxLength());
    model.chatTemplate().ifPresent(b::optChatTemplate);
    if (data.systemPrompt() != null) {
      b.optSystemPrompt(data.systemPrompt());
    }
    return b.build();
  }

  private static List<String> answers(
      ForwardPass forward,
      PretrainedModel model,
      DataConfig data,
      List<PromptCompletion> sample,
      int maxNewTokens) {
    List<String> answers = new ArrayList<>();
    for (PromptCompletion pc : sample) {
      List<ChatMessage> messages = new ArrayList<>();
      if (data.systemPrompt() != null) {
        messages.add(ChatMessage.system(data.systemPrompt()));
      }
      messages.add(ChatMessage.user(pc.prompt()));
      int[] prompt = model.encodeChat(messages);
      int[] answer =
          greedy(
              forward,
              prompt,
              maxNewTokens,
              model.tokenizer().specialTokens().eos(),
              model.model().manager());
      answers.add(model.tokenizer().decode(answer, true));
    }
    return answers;
  }

  /** Greedy decoding by full forward passes (no cache), so any method's forward pass works. */
  static int[] greedy(
      ForwardPass forward, int[] prompt, int maxNewTokens, Set<Integer> stop, NDManager parent) {
    List<Integer> ids = new ArrayList<>();
    for (int id : prompt) {
      ids.add(id);
    }
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < maxNewTokens; i++) {
      try (NDManager scope = parent.newSubManager()) {
        long[] row = ids.stream().mapToLong(Integer::longValue).toArray();
        NDArray input = scope.create(row, new Shape(1, row.length)); // (1, T)
        NDArray mask = scope.ones(new Shape(1, row.length), input.getDataType()); // (1, T)
        NDArray logits = forward.logits(input, mask); // (1, T, V)
        int next = (int) logits.get(new NDIndex("0, -1")).argMax().getLong();
        if (stop.contains(next)) {
          break;
        }
        ids.add(next);
        out.add(next);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }
}
