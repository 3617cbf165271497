package org.tuninglab.eval;

/**
 * A metric's verdict on one reply: the value shown in the drill-down, and the totals the metric
 * sums over examples to get its value for a whole strategy or category. Summing totals (rather than
 * averaging values) is what makes micro-averages and token-weighted perplexity come out right on
 * any subset.
 *
 * @param value the per-example value (NaN where the example has none)
 * @param totals the metric's additive statistics for this example, for example {@code {score, 1}}
 *     for a mean, {@code {tp, predicted, gold}} for entity overlap
 */
public record ExampleScore(double value, double[] totals) {

  /**
   * A score that averages: totals {@code {value, 1}}.
   *
   * @param value the score
   * @return the example score
   */
  public static ExampleScore mean(double value) {
    return new ExampleScore(value, new double[] {value, 1});
  }
}
