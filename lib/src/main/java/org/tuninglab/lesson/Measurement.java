package org.tuninglab.lesson;

import org.tuninglab.eval.EvalResult;

/**
 * One side of a before/after comparison.
 *
 * @param taskLoss the mean loss per answer token on the whole task holdout (after training: the
 *     trainer's last evaluation on it)
 * @param answers the greedy answers to the scored sample, with their metrics and drill-down
 * @param score the answers' exact match, valid JSON and entity F1
 * @param generalLoss the general text's loss per token (forgetting), NaN when not measured
 */
public record Measurement(double taskLoss, EvalResult answers, ExtractionScore score, double generalLoss) {}
