package org.tuninglab.lesson;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.tuninglab.chat.LocalChatModel;
import org.tuninglab.data.PromptCompletion;
import org.tuninglab.eval.EntityExtractor;
import org.tuninglab.eval.EntityOverlap;
import org.tuninglab.eval.EvalHarness;
import org.tuninglab.eval.EvalResult;
import org.tuninglab.eval.ExampleReply;
import org.tuninglab.eval.LabelledExample;
import org.tuninglab.eval.Metric;
import org.tuninglab.eval.Strategy;
import org.tuninglab.generate.GenerationConfig;
import org.tuninglab.generate.LanguageModel;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.peft.AdaptedModel;
import org.tuninglab.prompt.FewShotExample;
import org.tuninglab.prompt.PromptTemplate;
import org.tuninglab.train.SftConfig;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * "Fine-tuning reduces prompt size and inference cost", measured: the base model asked with a
 * 3-shot prompt (the three training examples most like each text as earlier turns, as {@link
 * LessonBench#fewShot()} asks) against the fine-tuned model asked with the plain prompt it was
 * trained on (its system prompt and the text), on the same items. Each way's prompt tokens are
 * counted through the model's chat template. Each item is asked twice, one prompt at a time: for
 * one token (the time to read the prompt, which is what its size costs) and for a whole greedy
 * answer (a request's latency, which also depends on how long each model's answers are). A
 * prompt that leaves no room in the model's context is not decoded and counts as an empty reply.
 *
 * @param fewShot the base model with the 3-shot prompt
 * @param fineTuned the fine-tuned model with the plain prompt
 */
public record PromptSizeStudy(PromptCost fewShot, PromptCost fineTuned) {
  /** Examples shown in the few-shot prompt. */
  public static final int SHOTS = 3;

  private static final EntityExtractor TYPED = EntityExtractor.jsonFields();

  /**
   * Asks both ways and measures them.
   *
   * @param tuned the fine-tuning run's config (model, method, system prompt)
   * @param adapter the adapter that run saved
   * @param pool the training examples the few-shot prompt draws from
   * @param items the items asked both ways
   * @param maxNewTokens the answers' length limit
   * @param device where the models run
   * @param onAnswer called after each answer with the answers done and the total (both ways)
   * @return the two ways' costs
   * @throws IOException if the model or the adapter cannot be read
   */
  public static PromptSizeStudy measure(
      SftConfig tuned, Path adapter, List<PromptCompletion> pool, List<PromptCompletion> items,
      int maxNewTokens, Device device, BiConsumer<Integer, Integer> onAnswer) throws IOException {
    Objects.requireNonNull(adapter, "adapter: the fine-tuned run saved none");
    List<FewShotExample> shots = new ArrayList<>();
    for (PromptCompletion pc : pool) {
      shots.add(new FewShotExample(pc.prompt(), pc.completion()));
    }
    List<LabelledExample> asked = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      asked.add(LabelledExample.of("item-" + (i + 1), items.get(i).prompt(), items.get(i).completion())
          .withEntitiesFromReference(TYPED));
    }
    PromptTemplate.Builder plain = PromptTemplate.builder().setTemplate("{input}");
    if (tuned.data().systemPrompt() != null) {
      plain.optSystemPrompt(tuned.data().systemPrompt());
    }
    try (PretrainedModel base = load(tuned, device);
        PretrainedModel fresh = load(tuned, device);
        AdaptedModel adapted = tuned.method().loadAdapter(adapter, fresh.model())) {
      LocalChatModel baseChat = LocalChatModel.builder().setModel(base).optName("base").build();
      LocalChatModel tunedChat =
          LocalChatModel.builder().setModel(fresh).optAdaptedModel(adapted).optName("fine-tuned").build();
      Strategy fewShot = Strategy.fewShot("base model, " + SHOTS + "-shot prompt",
          new LessonBench.ContextBound(baseChat), LessonBench.shots(shots, SHOTS));
      Strategy fineTuned = Strategy.template("fine-tuned model, plain prompt",
          new LessonBench.ContextBound(tunedChat), plain.build());
      Metric f1 = EntityOverlap.f1(TYPED);
      int total = 4 * asked.size();
      int[] done = {0};
      EvalResult first = ask(asked, 1, f1, done, total, onAnswer, fewShot, fineTuned);
      EvalResult whole = ask(asked, maxNewTokens, f1, done, total, onAnswer, fewShot, fineTuned);
      return new PromptSizeStudy(cost(first, whole, fewShot.name(), baseChat, f1),
          cost(first, whole, fineTuned.name(), tunedChat, f1));
    }
  }

  /** How many times more prompt tokens the few-shot prompt takes. */
  public double tokenRatio() {
    return fewShot.promptTokens() / fineTuned.promptTokens();
  }

  /** How many times longer the few-shot prompt takes to read (time to the first token). */
  public double firstTokenRatio() {
    return fewShot.msFirstToken() / fineTuned.msFirstToken();
  }

  /** How many times longer a whole few-shot answer takes. */
  public double latencyRatio() {
    return fewShot.msPerAnswer() / fineTuned.msPerAnswer();
  }

  /**
   * The two ways side by side.
   *
   * @param title the table's name
   * @return prompt tokens, times, answer tokens, failures and entity F1 of each way
   */
  public Table table(String title) {
    List<PromptCost> rows = List.of(fewShot, fineTuned);
    return Table.create(title,
        StringColumn.create("way of asking", rows.stream().map(PromptCost::name).toList()),
        IntColumn.create("items", rows.stream().mapToInt(PromptCost::answers).toArray()),
        DoubleColumn.create("prompt tokens", rows.stream().mapToDouble(PromptCost::promptTokens).toArray()),
        DoubleColumn.create("ms to first token", rows.stream().mapToDouble(PromptCost::msFirstToken).toArray()),
        DoubleColumn.create("ms per answer", rows.stream().mapToDouble(PromptCost::msPerAnswer).toArray()),
        DoubleColumn.create("answer tokens", rows.stream().mapToDouble(PromptCost::answerTokens).toArray()),
        IntColumn.create("did not fit", rows.stream().mapToInt(PromptCost::failures).toArray()),
        DoubleColumn.create("entity_f1", rows.stream().mapToDouble(PromptCost::entityF1).toArray()));
  }

  private static PretrainedModel load(SftConfig config, Device device) throws IOException {
    return LanguageModel.loadPretrained(config.model(), device, config.precision().dataType());
  }

  /** Every item asked each way, greedily, one prompt at a time. */
  private static EvalResult ask(
      List<LabelledExample> asked, int maxNewTokens, Metric f1, int[] done, int total,
      BiConsumer<Integer, Integer> onAnswer, Strategy... strategies) {
    EvalHarness.Builder harness = EvalHarness.builder()
        .setExamples(asked)
        .addMetric(f1)
        .optGeneration(GenerationConfig.greedy(maxNewTokens))
        .optBatchSize(1)
        .optListener(reply -> onAnswer.accept(++done[0], total));
    for (Strategy s : strategies) {
      harness.addStrategy(s);
    }
    return harness.build().run();
  }

  private static PromptCost cost(
      EvalResult first, EvalResult whole, String strategy, LocalChatModel chat, Metric f1) {
    List<ExampleReply> replies = whole.replies(strategy);
    double tokens =
        replies.stream().mapToInt(x -> chat.chatPrompt(x.messages()).length).average().orElse(Double.NaN);
    List<ExampleReply> answered = replies.stream().filter(x -> !x.failed()).toList();
    return new PromptCost(strategy, replies.size(), tokens, meanMs(first.replies(strategy)),
        meanMs(replies), answered.stream().mapToInt(ExampleReply::completionTokens).average().orElse(Double.NaN),
        whole.failures(strategy), LessonBench.overAll(whole, strategy, f1));
  }

  /** Mean wall time of the replies the model gave, in milliseconds. */
  private static double meanMs(List<ExampleReply> replies) {
    return replies.stream().filter(x -> !x.failed()).mapToLong(ExampleReply::latencyNanos)
        .average().orElse(Double.NaN) / 1e6;
  }
}
