package org.tuninglab.display;

import java.util.List;

/**
 * What a progress view shows at one moment.
 *
 * @param title what is running ("LoRA SFT")
 * @param step steps done
 * @param totalSteps steps planned
 * @param loss the latest loss, NaN before the first
 * @param stepsPerSecond the average rate since the start, NaN before the first step
 * @param etaSeconds seconds left at that rate, NaN when unknown
 * @param losses the loss history, thinned to at most {@link ProgressState#MAX_POINTS} points
 * @param finished whether the work has ended
 */
public record ProgressSnapshot(
    String title, long step, long totalSteps, double loss, double stepsPerSecond, double etaSeconds,
    List<Double> losses, boolean finished) {

  public ProgressSnapshot {
    losses = List.copyOf(losses);
  }

  /** Done fraction in [0, 1]. */
  public double fraction() {
    return totalSteps <= 0 ? 0 : Math.min(1.0, (double) step / totalSteps);
  }
}
