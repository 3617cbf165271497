package org.tuninglab.preference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.tuninglab.score.TokenCrossEntropy;

/**
 * Scores whole sequences: the log-probability of each row's labelled tokens, summed, as DPO needs
 * it ({@code log pi(y | x) = sum_t log pi(y_t | x, y_<t)} over the answer only).
 */
public final class SequenceLogProbs {

  private SequenceLogProbs() {}

  /**
   * Scores every row of a batch.
   *
   * @param logits {@code (N, T, V)}: position t predicts token t + 1
   * @param labels {@code (N, T)} int64 next-token labels, {@link TokenCrossEntropy#IGNORE} where
   *     nothing is scored (prompt, padding)
   * @return per-row summed log-probabilities (with the logits' gradient), token counts and mean
   *     logits
   */
  public static SequenceScores of(NDArray logits, NDArray labels) {
    NDArray mask = labels.neq(TokenCrossEntropy.IGNORE).toType(DataType.FLOAT32, false); // (N, T)
    NDArray logps = TokenCrossEntropy.labelLogProbs(logits, labels).sum(new int[] {1}); // (N)
    NDArray tokens = mask.sum(new int[] {1}); // (N)
    float[] logitSums =
        logits.stopGradient().toType(DataType.FLOAT32, false).sum(new int[] {2}).mul(mask)
            .sum(new int[] {1}).toFloatArray(); // a report, not a loss: no gradient
    float[] counts = tokens.toFloatArray();
    long vocab = logits.getShape().get(2);
    double[] meanLogits = new double[counts.length];
    for (int r = 0; r < counts.length; r++) {
      meanLogits[r] = counts[r] == 0 ? Double.NaN : logitSums[r] / (counts[r] * (double) vocab);
    }
    return new SequenceScores(logps, tokens, meanLogits);
  }
}
