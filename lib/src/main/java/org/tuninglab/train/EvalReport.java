package org.tuninglab.train;

/**
 * A holdout evaluation.
 *
 * @param step the number of updates done when it ran
 * @param loss the mean token loss over the holdout's trained tokens
 * @param perplexity {@code exp(loss)}
 * @param tokens how many tokens were scored
 * @param best whether this is the lowest loss so far
 */
public record EvalReport(long step, double loss, double perplexity, long tokens, boolean best) {}
