package org.tuninglab.preference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * Per-sequence scores of a batch's rows: what preference losses and their metrics read.
 *
 * @param logps {@code (N)} float32: each row's log-probability summed over its labelled (answer)
 *     tokens; carries the gradient when the logits did
 * @param tokens {@code (N)} float32: each row's count of labelled tokens, for length-normalised
 *     losses
 * @param meanLogits each row's mean logit over its labelled positions and the whole vocabulary (the
 *     {@code logits/*} metrics); detached
 */
public record SequenceScores(NDArray logps, NDArray tokens, double[] meanLogits) {

  /**
   * Splits the rows of a {@link org.tuninglab.data.PreferenceBatch} into its two sides.
   *
   * @param pairs the number of pairs: rows {@code [0, pairs)} are chosen, {@code [pairs, 2 pairs)}
   *     rejected
   * @return the four arrays of the pairs
   */
  public PairLogps pairs(int pairs) {
    if (logps.getShape().get(0) != 2L * pairs) {
      throw new IllegalArgumentException(
          "expected " + 2 * pairs + " rows for " + pairs + " pairs, got " + logps.getShape());
    }
    NDIndex chosen = new NDIndex("0:{}", pairs);
    NDIndex rejected = new NDIndex("{}:", pairs);
    return new PairLogps(
        logps.get(chosen), logps.get(rejected), tokens.get(chosen), tokens.get(rejected));
  }

  /**
   * The mean logit over the labelled positions of rows {@code [from, to)}, weighted by their token
   * counts, as TRL reports {@code logits/chosen} and {@code logits/rejected}.
   *
   * @param from the first row
   * @param to one past the last row
   * @return the token-weighted mean logit
   */
  public double meanLogit(int from, int to) {
    float[] counts = tokens.toFloatArray();
    double sum = 0;
    double n = 0;
    for (int r = from; r < to; r++) {
      sum += meanLogits[r] * counts[r];
      n += counts[r];
    }
    return n == 0 ? Double.NaN : sum / n;
  }
}
