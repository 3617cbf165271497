package org.tuninglab.train;

/** Why training ended. */
public enum StopReason {
  /** All planned steps ran. */
  COMPLETED,
  /** The holdout loss did not improve for {@code patience} evaluations. */
  EARLY_STOPPED,
  /** A listener asked to stop (e.g. a sweep pruned the trial). */
  STOPPED,
  /** The loss or the gradients became NaN or infinite; nothing was saved after the last good checkpoint. */
  NON_FINITE
}
