package org.tuninglab.preference;

/**
 * One value of a logged curve.
 *
 * @param step the training step it belongs to
 * @param value the value
 */
public record CurvePoint(long step, double value) {}
