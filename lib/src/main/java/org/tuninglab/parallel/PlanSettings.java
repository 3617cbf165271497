package org.tuninglab.parallel;

import java.util.Objects;
import org.tuninglab.peft.MethodSpec;

/**
 * What a memory plan is for.
 *
 * @param method the fine-tuning method and its settings
 * @param dtype the model's dtype (weights, activations, gradients)
 * @param optimizer the optimizer
 * @param microBatch sequences per forward pass
 * @param seqLen tokens per sequence (the collator's padded width)
 * @param checkpointing activation checkpointing: keep each layer's input and recompute the layer
 *     in backward (planned only; this project's trainer does not recompute)
 */
public record PlanSettings(
    MethodSpec method,
    ComputeDtype dtype,
    OptimizerKind optimizer,
    int microBatch,
    int seqLen,
    boolean checkpointing) {

  public PlanSettings {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(dtype, "dtype");
    Objects.requireNonNull(optimizer, "optimizer");
    if (microBatch < 1) {
      throw new IllegalArgumentException("--batch must be at least 1, got " + microBatch);
    }
    if (seqLen < 1) {
      throw new IllegalArgumentException("--seq must be at least 1, got " + seqLen);
    }
  }

  /** The same settings with another micro-batch. */
  public PlanSettings withMicroBatch(int value) {
    return new PlanSettings(method, dtype, optimizer, value, seqLen, checkpointing);
  }
}
