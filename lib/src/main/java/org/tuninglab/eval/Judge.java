package org.tuninglab.eval;

import org.tuninglab.chat.ChatModel;
import org.tuninglab.generate.GenerationConfig;

/** Decides which of two systems' replies to the same example is better, for {@link WinRate}. */
@FunctionalInterface
public interface Judge {

  /**
   * Compares two replies to one example.
   *
   * @param example the example both replies answer
   * @param first the first system's reply
   * @param second the second system's reply
   * @return which is better
   */
  Verdict judge(LabelledExample example, String first, String second);

  /**
   * The reply with the better score on a metric wins ({@link Metric#higherIsBetter()} says which
   * way); equal scores tie. A metric sees one reply at a time, so order cannot bias it.
   *
   * @param metric the metric, for example {@link ExactMatch#numericAnswer()}
   * @return the judge
   */
  static Judge byMetric(ReplyMetric metric) {
    return (example, first, second) -> {
      double a = metric.score(example, first);
      double b = metric.score(example, second);
      if (a == b) {
        return Verdict.TIE;
      }
      return (a > b) == metric.higherIsBetter() ? Verdict.FIRST : Verdict.SECOND;
    };
  }

  /**
   * A chat model asked which answer is better, in both orders to cancel position bias; see {@link
   * ModelJudge}.
   *
   * @param judge the judging model
   * @param config how it decodes (its seed is combined with each example's id)
   * @return the judge
   */
  static Judge byModel(ChatModel judge, GenerationConfig config) {
    return ModelJudge.builder().setModel(judge).optGeneration(config).build();
  }
}
