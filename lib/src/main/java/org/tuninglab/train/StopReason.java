package org.tuninglab.train;

/** Why training ended. */
public enum StopReason {
  /** All planned steps ran. */
  COMPLETED,
  /** The holdout loss did not improve for {@code patience} evaluations. */
  EARLY_STOPPED,
  /** The loss or the gradients became NaN or infinite; nothing was saved after the last good checkpoint. */
  NON_FINITE
}
