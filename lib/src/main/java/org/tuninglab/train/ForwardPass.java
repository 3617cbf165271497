package org.tuninglab.train;

import ai.djl.ndarray.NDArray;
import org.tuninglab.model.LlamaModel;
import org.tuninglab.peft.AdaptedModel;

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
   * Switches dropout on for training steps and off for evaluation; the trainer calls it around
   * each phase. Does nothing by default.
   *
   * @param training whether the next passes are training passes
   */
  default void setTraining(boolean training) {}

  /**
   * The plain decoder forward.
   *
   * @param model the model
   * @return the forward pass
   */
  static ForwardPass of(LlamaModel model) {
    return (ids, mask) -> model.forward(ids, mask, null);
  }

  /**
   * The forward pass of a model prepared for a fine-tuning method, with its training mode.
   *
   * @param model the adapted model
   * @return the forward pass
   */
  static ForwardPass of(AdaptedModel model) {
    return new ForwardPass() {
      @Override
      public NDArray logits(NDArray inputIds, NDArray attentionMask) {
        return model.logits(inputIds, attentionMask);
      }

      @Override
      public void setTraining(boolean training) {
        model.setTraining(training);
      }
    };
  }
}
