package org.tuninglab.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.tuninglab.model.DifferentiableCast;

/**
 * Next-token cross-entropy: the mean over trained positions of {@code -log p(label)}. Labels equal
 * to {@link #IGNORE} (prompt and padding positions) contribute nothing, as in Hugging Face.
 */
public final class TokenCrossEntropy {
  /** The label value that marks a position as not trained. */
  public static final long IGNORE = -100;

  private TokenCrossEntropy() {}

  /**
   * @param logits {@code (B, T, V)}: position t predicts token t + 1
   * @param labels {@code (B, T)} int64, already shifted so labels[t] is the token after position t
   * @return a scalar: the sum of losses over trained positions divided by their count
   */
  public static NDArray mean(NDArray logits, NDArray labels) {
    NDArray sum = sum(logits, labels);
    NDArray count = labels.neq(IGNORE).toType(DataType.FLOAT32, false).sum();
    return sum.div(count.maximum(1f));
  }

  /** The summed loss over trained positions (for accumulation normalised over tokens). */
  public static NDArray sum(NDArray logits, NDArray labels) {
    return labelLogProbs(logits, labels).sum().neg();
  }

  /**
   * The log-probability of each position's label, 0 where the label is {@link #IGNORE}: what the
   * token loss and a sequence's score (DPO's {@code log pi(y | x)}) are both sums of.
   *
   * @param logits {@code (B, T, V)}: position t predicts token t + 1
   * @param labels {@code (B, T)} int64 next-token labels
   * @return {@code (B, T)} float32, with the logits' gradient
   */
  public static NDArray labelLogProbs(NDArray logits, NDArray labels) {
    NDArray trained = labels.neq(IGNORE); // (B, T)
    NDArray safe = labels.mul(trained.toType(DataType.INT64, false)); // ignored -> class 0
    // float32 log-softmax whatever the logits' dtype; the cast keeps the gradient.
    NDArray logProbs = DifferentiableCast.to(logits, DataType.FLOAT32).logSoftmax(-1); // (B, T, V)
    NDArray picked = logProbs.gather(safe.expandDims(-1), -1).squeeze(-1); // (B, T)
    return picked.mul(trained.toType(DataType.FLOAT32, false));
  }
}
