package org.tuninglab.track.sweep;

import java.util.List;

/**
 * Early termination in the asynchronous successive-halving style (ASHA, the asynchronous form of
 * Hyperband), W&amp;B's {@code early_terminate: {type: hyperband, min_iter, eta}}. Rungs sit at the
 * {@code min_iter * eta^k}-th report of the sweep metric; at a rung a trial goes on only if it is
 * among the best {@code floor(n / eta)} of the {@code n} trials that reached that rung so far.
 *
 * @param minIter the report count of the first rung (1 = the first report)
 * @param eta the halving factor, at least 2
 * @param maxIter no rungs after this report count; 0 for none
 */
public record Hyperband(int minIter, int eta, int maxIter) {

  /** True when the {@code iteration}-th report (1-based) is a rung. */
  public boolean isRung(int iteration) {
    if (iteration < minIter || (maxIter > 0 && iteration > maxIter)) {
      return false;
    }
    long r = minIter;
    while (r < iteration) {
      r *= eta;
    }
    return r == iteration;
  }

  /**
   * Decides at a rung: {@code value} is this trial's, {@code others} those of the other trials at
   * the same rung. With fewer than {@code eta} trials there is nothing to halve yet, so it goes on.
   */
  public boolean shouldStop(double value, List<Double> others, Goal goal) {
    int n = others.size() + 1;
    int keep = n / eta;
    if (keep < 1) {
      return false;
    }
    double mine = goal.asLoss(value);
    long better = others.stream().filter(o -> goal.asLoss(o) < mine).count();
    return Double.isNaN(mine) || better >= keep;
  }
}
