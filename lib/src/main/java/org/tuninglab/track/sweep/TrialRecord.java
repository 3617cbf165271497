package org.tuninglab.track.sweep;

import java.util.Map;

/**
 * The content of {@code trials/N/params.json}, written once when the trial is proposed.
 *
 * @param number the trial number, from 0
 * @param params its parameters
 * @param created when it was proposed, epoch milliseconds
 */
public record TrialRecord(int number, Map<String, Object> params, long created) {}
