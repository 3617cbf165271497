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

  /**
   * The state after an update.
   *
   * @param epoch the epoch of the next micro-batch
   * @param batchInEpoch the index of the next micro-batch within it
   * @param scale the loss scale after the update
   * @param good updates since the loss scale last changed
   * @return the state one step further
   */
  public TrainerState afterStep(int epoch, int batchInEpoch, double scale, int good) {
    return new TrainerState(
        step + 1, epoch, batchInEpoch, seed, bestEvalLoss, bestStep, evalsWithoutImprovement,
        scale, good);
  }

  /**
   * The state after a holdout evaluation at the current step.
   *
   * @param loss the holdout loss
   * @return the state, with the best loss and step updated if the loss improved on it
   */
  public TrainerState afterEval(double loss) {
    boolean improved = improves(loss);
    return new TrainerState(
        step, epoch, batchInEpoch, seed, improved ? loss : bestEvalLoss,
        improved ? step : bestStep, improved ? 0 : evalsWithoutImprovement + 1, lossScale,
        goodSteps);
  }

  /** Whether a holdout loss is the best so far. */
  public boolean improves(double loss) {
    return bestEvalLoss == null || loss < bestEvalLoss;
  }
}
