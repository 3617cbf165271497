package org.tuninglab.train;

import java.nio.file.Path;

/** Follows a training run: progress bars, notebook displays, run trackers. */
public interface TrainingListener {

  /**
   * Called after every optimizer step.
   *
   * @param report the step
   */
  default void onStep(StepReport report) {}

  /**
   * Called after every holdout evaluation.
   *
   * @param report the evaluation
   */
  default void onEvaluation(EvalReport report) {}

  /**
   * Called after a checkpoint is complete on disk.
   *
   * @param dir the checkpoint folder
   * @param step the updates it holds
   */
  default void onCheckpoint(Path dir, long step) {}

  /**
   * Called once when training ends, however it ends.
   *
   * @param result the outcome
   */
  default void onEnd(TrainingResult result) {}

  /**
   * Asked after every step (and its evaluation); true ends training there with {@link
   * StopReason#STOPPED}, after a checkpoint. A sweep uses it to prune a trial that is falling behind.
   */
  default boolean stopRequested() {
    return false;
  }
}
