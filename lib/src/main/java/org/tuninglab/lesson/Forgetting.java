package org.tuninglab.lesson;

/**
 * Catastrophic forgetting: the general text's (story holdout's) loss per token before fine-tuning
 * and after each of two methods trained on the entity task at the same learning rate.
 *
 * @param lr the learning rate both runs used (the full preset's)
 * @param before the untuned model's loss
 * @param afterFull the loss after the full fine-tune
 * @param afterLora the loss after LoRA
 */
public record Forgetting(double lr, double before, double afterFull, double afterLora) {

  /** How much the full fine-tune raised the loss (negative: lowered it). */
  public double fullRise() {
    return afterFull - before;
  }

  /** How much LoRA raised the loss (negative: lowered it). */
  public double loraRise() {
    return afterLora - before;
  }
}
