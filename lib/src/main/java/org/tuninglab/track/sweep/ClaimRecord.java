package org.tuninglab.track.sweep;

/**
 * The content of {@code trials/N/claim-K.json}: attempt K of trial N belongs to this worker.
 * Created exclusively, so of two workers claiming the same attempt only one succeeds.
 *
 * @param worker the claiming worker's id (stable across Slurm requeues of one array task)
 * @param host host name
 * @param pid process id
 * @param time claim time, epoch milliseconds
 * @param leaseMillis how long the claim holds without a heartbeat
 * @param slurmJob Slurm array job and task id, or null
 * @param restartCount SLURM_RESTART_COUNT of the task, 0 outside Slurm
 */
public record ClaimRecord(
    String worker, String host, long pid, long time, long leaseMillis, String slurmJob, int restartCount) {}
