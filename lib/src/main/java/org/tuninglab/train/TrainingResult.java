package org.tuninglab.train;

import java.nio.file.Path;
import java.util.List;

/**
 * How a training run ended.
 *
 * @param reason why it stopped
 * @param message a sentence for people: what happened and, when it failed, what to try
 * @param steps the updates done (including those of a run it resumed)
 * @param losses the loss of each step this process ran
 * @param evaluations the holdout evaluations this process ran
 * @param lastCheckpoint the newest complete checkpoint, or null if none was written
 * @param bestCheckpoint the checkpoint with the lowest holdout loss, or null
 * @param skippedSteps the steps this process skipped because float16 gradients overflowed (the
 *     loss scale was halved after each)
 */
public record TrainingResult(
    StopReason reason,
    String message,
    long steps,
    List<Double> losses,
    List<EvalReport> evaluations,
    Path lastCheckpoint,
    Path bestCheckpoint,
    List<Long> skippedSteps) {

  /** Copies the lists. */
  public TrainingResult {
    losses = List.copyOf(losses);
    evaluations = List.copyOf(evaluations);
    skippedSteps = List.copyOf(skippedSteps);
  }
}
