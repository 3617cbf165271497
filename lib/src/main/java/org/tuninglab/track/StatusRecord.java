package org.tuninglab.track;

/**
 * The content of a run's {@code status.json}, replaced atomically on every transition.
 *
 * @param status the current status
 * @param updated time of the transition, epoch milliseconds
 * @param error why the run failed or was stopped, or null
 * @param writer the writer (host-pid-nonce) that made the transition
 */
public record StatusRecord(RunStatus status, long updated, String error, String writer) {}
