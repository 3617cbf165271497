package org.tuninglab.train;

import ai.djl.ndarray.NDArray;
import org.tuninglab.model.LlamaModel;

/**
 * Computes next-token logits for a batch; how a fine-tuning method plugs its model into the
 * trainer (a full or LoRA model calls the decoder, prompt tuning prepends virtual tokens).
 */
@FunctionalInterface
public interface ForwardPass {

  /**
   * Returns the logits for every input position.
   *
   * @param inputIds {@code (B, T)} int64 token ids
   * @param attentionMask {@code (B, T)}, 1 for real tokens, 0 for padding
   * @return {@code (B, T, V)} logits aligned with the inputs
   */
  NDArray logits(NDArray inputIds, NDArray attentionMask);

  /**
   * The plain decoder forward.
   *
   * @param model the model
   * @return the forward pass
   */
  static ForwardPass of(LlamaModel model) {
    return (ids, mask) -> model.forward(ids, mask, null);
  }
}
