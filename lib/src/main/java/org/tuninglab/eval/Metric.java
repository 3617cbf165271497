package org.tuninglab.eval;

import java.util.List;

/**
 * Scores replies. A metric scores each successful reply on its own ({@link #score}) and turns the
 * summed totals of any set of replies into one number ({@link #aggregate}).
 */
public interface Metric {

  /**
   * The metric's column name, for example {@code exact_match}.
   *
   * @return the name
   */
  String name();

  /**
   * Whether a larger value is better (false for perplexity); judges by metric use it.
   *
   * @return true by default
   */
  default boolean higherIsBetter() {
    return true;
  }

  /**
   * Checks, before any model is called, that the examples carry what this metric needs.
   *
   * @param examples the labelled set
   * @throws IllegalArgumentException naming the first example and field that is missing
   */
  default void check(List<LabelledExample> examples) {}

  /**
   * Scores one successful reply.
   *
   * @param reply the reply (never a failed one)
   * @return the per-example value and the totals to sum
   */
  ExampleScore score(ExampleReply reply);

  /**
   * The metric over a set of replies, from their element-wise summed totals.
   *
   * @param totals the sum of {@link ExampleScore#totals()} over the set
   * @param count how many replies were summed; 0 gives NaN
   * @return the value
   */
  double aggregate(double[] totals, int count);
}
