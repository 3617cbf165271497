package org.tuninglab.parallel;

/**
 * A GPipe schedule: every micro-batch's forward through the stages, then every backward in
 * reverse; a stage starts an operation once its own previous one and the neighbouring stage's
 * part of the same micro-batch are done. The bubble is the share of stage-time spent idle.
 *
 * @param makespan time from the first forward to the last backward
 * @param bubble idle stage-time over {@code stages x makespan}
 */
public record PipelineSchedule(double makespan, double bubble) {

  /**
   * Schedules measured (or unit) durations.
   *
   * @param forward {@code [stage][microBatch]} forward times
   * @param backward {@code [stage][microBatch]} backward times
   */
  public static PipelineSchedule gpipe(double[][] forward, double[][] backward) {
    int p = forward.length;
    int m = forward[0].length;
    double[] free = new double[p]; // when each stage is next free
    double[][] fEnd = new double[p][m];
    for (int j = 0; j < m; j++) {
      for (int s = 0; s < p; s++) {
        double ready = s == 0 ? 0 : fEnd[s - 1][j];
        fEnd[s][j] = Math.max(ready, free[s]) + forward[s][j];
        free[s] = fEnd[s][j];
      }
    }
    double[][] bEnd = new double[p][m];
    for (int j = m - 1; j >= 0; j--) {
      for (int s = p - 1; s >= 0; s--) {
        double ready = s == p - 1 ? 0 : bEnd[s + 1][j];
        bEnd[s][j] = Math.max(ready, free[s]) + backward[s][j];
        free[s] = bEnd[s][j];
      }
    }
    double makespan = 0;
    double busy = 0;
    for (int s = 0; s < p; s++) {
      makespan = Math.max(makespan, free[s]);
      for (int j = 0; j < m; j++) {
        busy += forward[s][j] + backward[s][j];
      }
    }
    return new PipelineSchedule(makespan, 1 - busy / (p * makespan));
  }

  /** Equal unit times: the bubble comes out as {@code (p - 1) / (m + p - 1)}. */
  public static PipelineSchedule uniform(int stages, int microBatches) {
    double[][] ones = new double[stages][microBatches];
    for (double[] row : ones) {
      java.util.Arrays.fill(row, 1);
    }
    return gpipe(ones, ones);
  }
}
