package org.tuninglab.score;

import ai.djl.ndarray.NDArray;

/** A padded batch with next-token labels: what {@link TokenCrossEntropy} scores. */
public interface TokenBatch {

  /** {@code (B, T)} int64 token ids. */
  NDArray inputIds();

  /** {@code (B, T)} int64, 1 for real tokens and 0 for padding. */
  NDArray attentionMask();

  /** {@code (B, T)} int64 next-token labels, {@link TokenCrossEntropy#IGNORE} where untrained. */
  NDArray labels();

  /** How many labels are not ignored (the loss's denominator). */
  int trainedTokens();
}
