package org.tuninglab.train;

/** How the learning rate moves after warmup. */
public enum ScheduleKind {
  /** Stays at the peak. */
  CONSTANT,
  /** Falls linearly to zero at the last step. */
  LINEAR,
  /** Follows half a cosine from the peak to zero at the last step. */
  COSINE
}
