package org.tuninglab.track.sweep;

/** Whether the sweep's metric should go down or up. */
public enum Goal {
  MINIMIZE,
  MAXIMIZE;

  /** The value as a loss: lower is always better. */
  public double asLoss(double value) {
    return this == MINIMIZE ? value : -value;
  }
}
