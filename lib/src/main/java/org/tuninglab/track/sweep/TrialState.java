package org.tuninglab.track.sweep;

/** A trial's state, derived from its claim files, lease and run status. */
public enum TrialState {
  /** Proposed, not yet claimed by a worker. */
  PENDING,
  /** Claimed, and its worker's lease is current. */
  RUNNING,
  /** Claimed, but the worker's lease expired (it died): the next worker reclaims it. */
  LOST,
  /** Its worker was stopped from outside (SIGTERM, Slurm preemption): the next worker reclaims it. */
  PREEMPTED,
  /** Ended and reported the sweep metric. */
  FINISHED,
  /** Ended with an error, or without reporting the sweep metric. */
  FAILED,
  /** Stopped early by Hyperband. */
  PRUNED
}
