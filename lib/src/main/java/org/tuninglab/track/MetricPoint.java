package org.tuninglab.track;

/**
 * One logged value.
 *
 * @param step the trainer's step (or epoch, or any increasing counter) the value belongs to
 * @param name the metric name, e.g. {@code eval_loss}
 * @param value the value (NaN and infinities are kept)
 * @param time when it was logged, epoch milliseconds
 */
public record MetricPoint(long step, String name, double value, long time) {}
