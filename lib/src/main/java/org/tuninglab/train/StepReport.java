package org.tuninglab.train;

import java.util.Map;

/**
 * What one optimizer step did.
 *
 * @param step the 1-based number of updates done so far
 * @param totalSteps the run's planned updates
 * @param epoch fractional epochs of training data consumed
 * @param loss the mean token loss of the step's batch (all micro-batches together)
 * @param lr the learning rate used
 * @param gradNorm the global gradient norm before clipping
 * @param tokensPerSecond input tokens (padding excluded) processed per second in this step
 * @param skipped whether the update was skipped because float16 gradients overflowed
 * @param lossScale the factor this step's loss was multiplied by before backward (1 without loss
 *     scaling)
 * @param metrics the objective's other figures for the step, by name (none for SFT; a preference
 *     objective's reward accuracy, for example)
 */
public record StepReport(
    long step,
    long totalSteps,
    double epoch,
    double loss,
    double lr,
    double gradNorm,
    double tokensPerSecond,
    boolean skipped,
    double lossScale,
    Map<String, Double> metrics) {

  /** Copies the metrics. */
  public StepReport {
    metrics = Map.copyOf(metrics);
  }

  /** A step without other metrics. */
  public StepReport(
      long step, long totalSteps, double epoch, double loss, double lr, double gradNorm,
      double tokensPerSecond, boolean skipped, double lossScale) {
    this(step, totalSteps, epoch, loss, lr, gradNorm, tokensPerSecond, skipped, lossScale, Map.of());
  }
}
