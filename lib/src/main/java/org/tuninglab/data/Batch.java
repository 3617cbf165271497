package org.tuninglab.data;

import ai.djl.ndarray.NDArray;
import org.tuninglab.score.TokenBatch;

/**
 * A right-padded batch ready for the model and {@link org.tuninglab.score.TokenCrossEntropy}.
 *
 * @param inputIds {@code (B, T)} int64 token ids, padding filled with the pad id
 * @param attentionMask {@code (B, T)} int64, 1 for real tokens and 0 for padding
 * @param labels {@code (B, T)} int64 next-token labels, -100 where nothing is trained
 * @param trainedTokens how many labels are not -100 (the loss's denominator)
 */
public record Batch(NDArray inputIds, NDArray attentionMask, NDArray labels, int trainedTokens)
    implements TokenBatch {}
