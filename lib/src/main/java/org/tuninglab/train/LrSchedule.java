package org.tuninglab.train;

import java.util.Objects;

/**
 * A learning-rate schedule with linear warmup, with the semantics of Hugging Face's {@code
 * get_constant_schedule_with_warmup}, {@code get_linear_schedule_with_warmup} and {@code
 * get_cosine_schedule_with_warmup}: step {@code s} (0-based, the s-th optimizer update) uses {@code
 * peak * factor(s)}, so with warmup the first update has learning rate 0.
 *
 * @param kind the shape after warmup
 * @param peak the learning rate reached at the end of warmup
 * @param warmupSteps the number of warmup steps
 * @param totalSteps the number of optimizer updates of the run
 */
public record LrSchedule(ScheduleKind kind, double peak, int warmupSteps, int totalSteps) {

  /** Checks ranges. */
  public LrSchedule {
    Objects.requireNonNull(kind, "kind");
    if (!(peak >= 0) || warmupSteps < 0 || totalSteps < 1) {
      throw new IllegalArgumentException(
          "need peak >= 0, warmupSteps >= 0 and totalSteps >= 1, got " + peak + ", " + warmupSteps
              + ", " + totalSteps);
    }
  }

  /**
   * Warmup steps from a ratio of the run, as Hugging Face rounds it: {@code ceil(total * ratio)}.
   *
   * @param ratio the warmup fraction in {@code [0, 1]}
   * @param totalSteps the run's updates
   * @return the warmup steps
   */
  public static int warmupFromRatio(double ratio, int totalSteps) {
    if (!(ratio >= 0 && ratio <= 1)) {
      throw new IllegalArgumentException("warmup ratio must be in [0, 1], got " + ratio);
    }
    return (int) Math.ceil(totalSteps * ratio);
  }

  /**
   * Returns the learning rate of an update.
   *
   * @param step the 0-based update index
   * @return the learning rate
   */
  public double lr(long step) {
    if (step < warmupSteps) {
      return peak * step / Math.max(1, warmupSteps);
    }
    double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
    return switch (kind) {
      case CONSTANT -> peak;
      case LINEAR -> peak * Math.max(0, 1 - progress);
      case COSINE -> peak * Math.max(0, 0.5 * (1 + Math.cos(Math.PI * progress)));
    };
  }
}
