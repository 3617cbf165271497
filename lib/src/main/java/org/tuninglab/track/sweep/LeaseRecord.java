package org.tuninglab.track.sweep;

/**
 * The content of {@code trials/N/lease.json}, renewed by the running worker's heartbeat.
 *
 * @param attempt the attempt the lease belongs to
 * @param worker the worker holding it
 * @param expires when the trial counts as lost without a renewal, epoch milliseconds
 */
public record LeaseRecord(int attempt, String worker, long expires) {}
