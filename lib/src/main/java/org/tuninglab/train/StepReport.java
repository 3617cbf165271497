package org.tuninglab.train;

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
    double lossScale) {}
