package org.tuninglab.track.sweep;

import java.util.List;
import java.util.Map;

/**
 * How far a sweep has got.
 *
 * @param sweep the sweep name
 * @param runCap the number of trials it will run
 * @param counts trials per state; trials not yet proposed count as pending
 * @param best the best finished trial, or null
 * @param done true when every trial has ended and none will be retried
 */
public record SweepProgress(String sweep, int runCap, Map<TrialState, Integer> counts, TrialInfo best, boolean done) {

  /**
   * Whether trials ended and every one of them failed (none finished or was pruned): a sweep run
   * that ends this way reports failure, not success.
   */
  public boolean allFailed() {
    int failed = counts.getOrDefault(TrialState.FAILED, 0);
    return failed > 0
        && counts.getOrDefault(TrialState.FINISHED, 0) == 0
        && counts.getOrDefault(TrialState.PRUNED, 0) == 0;
  }

  /** One line, e.g. {@code lr: 7/12 finished, 1 running, ... best #3 eval_loss=0.41}. */
  public String line(String metric) {
    StringBuilder sb = new StringBuilder(sweep).append(": ");
    sb.append(counts.getOrDefault(TrialState.FINISHED, 0)).append('/').append(runCap).append(" finished");
    for (TrialState s : List.of(TrialState.RUNNING, TrialState.PENDING, TrialState.LOST,
        TrialState.PREEMPTED, TrialState.PRUNED, TrialState.FAILED)) {
      int n = counts.getOrDefault(s, 0);
      if (n > 0) {
        sb.append(", ").append(n).append(' ').append(s.name().toLowerCase());
      }
    }
    if (best != null) {
      sb.append("; best #").append(best.number()).append(' ').append(metric).append('=')
          .append(String.format("%.6g", best.value())).append(' ').append(best.params());
    }
    return sb.append(done ? " (done)" : "").toString();
  }
}
