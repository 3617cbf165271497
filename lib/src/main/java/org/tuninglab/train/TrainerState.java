package org.tuninglab.train;

/**
 * The loop's position, saved with every checkpoint so a resumed run continues exactly.
 *
 * @param step updates done (the scheduler's position)
 * @param epoch the epoch of the next micro-batch
 * @param batchInEpoch the index of the next micro-batch within its epoch
 * @param seed the run's seed; with the position it fixes all remaining randomness (the data order)
 * @param bestEvalLoss the lowest holdout loss so far, or null before the first evaluation
 * @param bestStep the step of that evaluation, or 0
 * @param evalsWithoutImprovement evaluations since the best one, for early stopping
 * @param lossScale the float16 loss scale
 * @param goodSteps updates since the loss scale last changed
 */
public record TrainerState(
    long step,
    int epoch,
    int batchInEpoch,
    long seed,
    Double bestEvalLoss,
    long bestStep,
    int evalsWithoutImprovement,
    double lossScale,
    int goodSteps) {

  /**
   * The state of a run that has not started.
   *
   * @param seed the run's seed
   * @param lossScale the initial loss scale
   * @return the state
   */
  public static TrainerState start(long seed, double lossScale) {
    return new TrainerState(0, 0, 0, seed, null, 0, 0, lossScale, 0);
  }
}
