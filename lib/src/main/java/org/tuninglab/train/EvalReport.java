package org.tuninglab.train;

import java.util.Map;

/**
 * A holdout evaluation.
 *
 * @param step the number of updates done when it ran
 * @param loss the mean token loss over the holdout's trained tokens
 * @param perplexity {@code exp(loss)}
 * @param tokens how many tokens were scored
 * @param best whether this is the lowest loss so far
 * @param metrics the objective's other figures on the holdout, by name (none for SFT)
 */
public record EvalReport(
    long step, double loss, double perplexity, long tokens, boolean best,
    Map<String, Double> metrics) {

  /** Copies the metrics. */
  public EvalReport {
    metrics = Map.copyOf(metrics);
  }

  /** An evaluation without other metrics. */
  public EvalReport(long step, double loss, double perplexity, long tokens, boolean best) {
    this(step, loss, perplexity, tokens, best, Map.of());
  }
}
