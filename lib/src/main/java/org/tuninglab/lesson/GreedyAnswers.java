package org.tuninglab.lesson;

import java.util.List;
import java.util.function.BiConsumer;
import org.tuninglab.chat.LocalChatModel;
import org.tuninglab.eval.EvalHarness;
import org.tuninglab.eval.EvalResult;
import org.tuninglab.eval.LabelledExample;
import org.tuninglab.eval.Metric;
import org.tuninglab.eval.Strategy;
import org.tuninglab.generate.GenerationConfig;
import org.tuninglab.prompt.PromptTemplate;

/**
 * A before/after comparison's answers: each example's input sent as is (after the run's system
 * prompt) to a model, answered greedily in batches, scored by the evaluation harness.
 */
final class GreedyAnswers {
  private GreedyAnswers() {}

  /**
   * Answers and scores the examples.
   *
   * @param chat the model, named as the strategy ("before", "after")
   * @param examples the inputs and their references
   * @param systemPrompt the run's system prompt, or null
   * @param maxNewTokens the answers' length limit
   * @param onAnswer called after each answer with the answers done and the total
   * @param metrics how each answer is scored
   * @return the answers and their scores
   */
  static EvalResult of(
      LocalChatModel chat, List<LabelledExample> examples, String systemPrompt, int maxNewTokens,
      BiConsumer<Integer, Integer> onAnswer, List<Metric> metrics) {
    PromptTemplate.Builder prompt = PromptTemplate.builder().setTemplate("{input}");
    if (systemPrompt != null) {
      prompt.optSystemPrompt(systemPrompt);
    }
    int[] done = {0};
    EvalHarness.Builder harness =
        EvalHarness.builder()
            .setExamples(examples)
            .optListener(reply -> onAnswer.accept(++done[0], examples.size()))
            .addStrategy(Strategy.template(chat.name(), chat, prompt.build()))
            .optGeneration(GenerationConfig.greedy(maxNewTokens))
            .optBatchSize(LessonBench.BATCH);
    metrics.forEach(harness::addMetric);
    return harness.build().run();
  }
}
