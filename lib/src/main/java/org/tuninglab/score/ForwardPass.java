package org.tuninglab.score;

import ai.djl.ndarray.NDArray;
import org.tuninglab.model.KvCache;
import org.tuninglab.model.LlamaModel;

/**
 * Next-token logits of a decoder, with or without a fine-tuning method on it: what scoring,
 * training and decoding all call. A plain model is {@link #of(LlamaModel)}; every
 * {@code peft.AdaptedModel} (full, LoRA, QLoRA on its NF4 base, prompt tuning with its virtual
 * tokens) is one.
 */
public interface ForwardPass {

  /**
   * Returns the logits for every input position, extending a KV cache when one is given.
   *
   * @param inputIds {@code (B, t)} int64 token ids: the whole sequence, or with a cache only the
   *     positions it does not hold yet
   * @param attentionMask {@code (B, T)}, 1 for real tokens and 0 for padding, over every position
   *     (cached ones included); null when nothing is padded
   * @param cache the keys and values of earlier positions, extended in place; null for none
   * @return {@code (B, t, V)} logits aligned with {@code inputIds}; position t predicts token t + 1
   */
  NDArray logits(NDArray inputIds, NDArray attentionMask, KvCache cache);

  /**
   * Returns the logits for every input position of whole sequences.
   *
   * @param inputIds {@code (B, T)} int64 token ids
   * @param attentionMask {@code (B, T)}, 1 for real tokens, 0 for padding; null when unpadded
   * @return {@code (B, T, V)} logits aligned with the inputs
   */
  default NDArray logits(NDArray inputIds, NDArray attentionMask) {
    return logits(inputIds, attentionMask, null);
  }

  /** The underlying decoder: its config, its manager (run each step in a sub-manager of it). */
  LlamaModel base();

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
    return new ForwardPass() {
      @Override
      public NDArray logits(NDArray inputIds, NDArray attentionMask, KvCache cache) {
        return model.forward(inputIds, attentionMask, cache);
      }

      @Override
      public LlamaModel base() {
        return model;
      }
    };
  }
}
