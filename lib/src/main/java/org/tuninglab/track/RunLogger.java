package org.tuninglab.track;

/**
 * What a trainer's tracking listener needs, whether it logs to a plain {@link Run} or to a sweep
 * trial (whose {@code log} also feeds early termination): the trainer takes a {@code RunLogger}
 * and stays unaware of sweeps.
 */
public interface RunLogger {

  /** Records {@code value} of metric {@code name} at {@code step}. */
  RunLogger log(long step, String name, double value);

  /** True when training should stop now (a sweep pruned the trial); a plain run never asks to. */
  default boolean shouldStop() {
    return false;
  }

  /** The run being logged to, for summaries, artefacts and the final status. */
  Run run();
}
