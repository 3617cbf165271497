package org.tuninglab.preference;

import ai.djl.ndarray.NDArray;

/**
 * One batch through a preference objective.
 *
 * @param loss the mean loss over the batch's pairs, a scalar with the policy's gradient
 * @param metrics the batch's metrics under TRL's names
 */
public record PreferenceOutput(NDArray loss, PreferenceMetrics metrics) {}
