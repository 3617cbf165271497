package org.tuninglab.lesson;

import java.util.Locale;

/** How the learning rate follows the effective batch (micro-batch × accumulation). */
public enum LrScaling {
  /** The same learning rate for every batch size. */
  NONE,
  /** Proportional to the batch (Goyal et al.'s rule for SGD). */
  LINEAR,
  /** Proportional to its square root (the rule often used for Adam). */
  SQRT;

  /**
   * The factor on the base learning rate.
   *
   * @param effectiveBatch this run's examples per update
   * @param baseBatch the examples per update the base learning rate is for
   */
  public double factor(int effectiveBatch, int baseBatch) {
    double ratio = (double) effectiveBatch / baseBatch;
    return switch (this) {
      case NONE -> 1;
      case LINEAR -> ratio;
      case SQRT -> Math.sqrt(ratio);
    };
  }

  /** Parses none, linear or sqrt (case-insensitive). */
  public static LrScaling parse(String text) {
    for (LrScaling s : values()) {
      if (s.name().equalsIgnoreCase(text.trim())) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "--lr-scaling must be none, linear or sqrt, got '" + text + "'");
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
