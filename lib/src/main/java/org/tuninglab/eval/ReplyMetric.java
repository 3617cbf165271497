package org.tuninglab.eval;

/**
 * A metric that gives each reply a score from the example and the reply text alone, and averages
 * the scores: exact match, JSON validity, refusal.
 */
public interface ReplyMetric extends Metric {

  /**
   * Scores one reply.
   *
   * @param example the labelled example
   * @param reply the model's reply text
   * @return the score, usually 0 or 1
   */
  double score(LabelledExample example, String reply);

  @Override
  default ExampleScore score(ExampleReply reply) {
    return ExampleScore.mean(score(reply.example(), reply.reply()));
  }

  @Override
  default double aggregate(double[] totals, int count) {
    return count == 0 ? Double.NaN : totals[0] / totals[1];
  }
}
