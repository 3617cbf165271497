package org.tuninglab.track.sweep;

import java.util.Map;

/**
 * A snapshot of one trial.
 *
 * @param number the trial number
 * @param params its parameters
 * @param state its derived state
 * @param attempts how many times it was claimed
 * @param value the sweep metric (summary or last reported), or null
 * @param runId its run's id in the store
 * @param worker the worker of the latest attempt, or null
 * @param error why it failed or was stopped, or null
 */
public record TrialInfo(
    int number,
    Map<String, Object> params,
    TrialState state,
    int attempts,
    Double value,
    String runId,
    String worker,
    String error) {}
