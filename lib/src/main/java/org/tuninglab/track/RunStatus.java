package org.tuninglab.track;

/** Where a run is in its life; only {@link #RUNNING} may change to another status by itself. */
public enum RunStatus {
  /** Started and not yet ended; a sweep worker also holds a lease on it. */
  RUNNING,
  /** Ended normally with a summary. */
  FINISHED,
  /** Ended by an error, recorded in the run's status file. */
  FAILED,
  /** Stopped from outside (Slurm preemption, SIGTERM, a lost lease); may be resumed. */
  PREEMPTED,
  /** Stopped early by a sweep's early-termination rule (Hyperband / ASHA). */
  PRUNED,
  /**
   * Seen by readers only: still RUNNING on disk, but its writer stopped renewing its lease (killed
   * or its node died) without ending it; may be resumed.
   */
  CRASHED;

  /** True when nothing more will be written to the run unless it is resumed. */
  public boolean isTerminal() {
    return this != RUNNING;
  }
}
