package org.tuninglab.train;

/**
 * How a preference run gets the reference model's log-probabilities.
 */
public enum ReferenceChoice {
  /**
   * Scored at every step: the LoRA/QLoRA base with the adapters off, the decoder without prompt
   * tuning's virtual tokens, or a frozen copy of a fully fine-tuned model.
   */
  LIVE,
  /**
   * Scored once over the training and holdout pairs before the first step, then looked up: no
   * reference pass per step, and a full fine-tune's frozen copy is freed before training.
   */
  PRECOMPUTED,
  /** None: the loss is reference-free (SimPO). */
  NONE
}
