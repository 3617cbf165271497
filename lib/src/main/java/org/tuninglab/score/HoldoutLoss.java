package org.tuninglab.score;

import ai.djl.ndarray.NDManager;

/** The mean token loss of a model on a data set, without gradients. */
public final class HoldoutLoss {
  private HoldoutLoss() {}

  /**
   * Scores every trained token of a data set.
   *
   * @param forward the model
   * @param batches the data set's batches, in order (for example {@code collator.batches(data, 8)})
   * @param manager the parent of the per-batch managers
   * @return the summed loss divided by the number of trained tokens, and that number
   */
  public static TokenLoss compute(ForwardPass forward, TokenBatches batches, NDManager manager) {
    double sum = 0;
    long tokens = 0;
    for (int i = 0; i < batches.count(); i++) {
      try (NoGrad off = NoGrad.enter(); // scoring only: no graph to keep
          NDManager scope = manager.newSubManager()) {
        TokenBatch batch = batches.batch(i, scope);
        sum += TokenCrossEntropy.sum(forward.logits(batch.inputIds(), batch.attentionMask()), batch.labels()).getFloat();
        tokens += batch.trainedTokens();
      }
    }
    return new TokenLoss(sum / Math.max(1, tokens), tokens);
  }
}
