package org.tuninglab.track.sweep;

import java.util.Map;

/**
 * A completed trial as a sampler sees it.
 *
 * @param params the trial's parameters
 * @param loss its metric as a loss (negated when the goal is to maximise)
 */
public record Observation(Map<String, Object> params, double loss) {}
