package org.tuninglab.train;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.tuninglab.data.Batch;
import org.tuninglab.data.EncodedDataset;
import org.tuninglab.data.EncodedExample;
import org.tuninglab.data.SftCollator;

/** The mean token loss of a model on a data set, without gradients. */
public final class HoldoutLoss {
  private HoldoutLoss() {}

  /**
   * Scores every trained token of a data set.
   *
   * @param forward the model
   * @param collator pads the batches
   * @param data the examples, in order
   * @param batchSize examples per forward pass
   * @param manager the parent of the per-batch managers
   * @return the summed loss divided by the number of trained tokens, and that number
   */
  public static TokenLoss compute(
      ForwardPass forward, SftCollator collator, EncodedDataset data, int batchSize, NDManager manager) {
    double sum = 0;
    long tokens = 0;
    List<EncodedExample> examples = data.examples();
    for (int from = 0; from < examples.size(); from += batchSize) {
      try (NoGrad off = NoGrad.enter(); // scoring only: no graph to keep
          NDManager scope = manager.newSubManager()) {
        Batch batch = collator.collate(examples.subList(from, Math.min(examples.size(), from + batchSize)), scope);
        sum += TokenCrossEntropy.sum(forward.logits(batch.inputIds(), batch.attentionMask()), batch.labels()).getFloat();
        tokens += batch.trainedTokens();
      }
    }
    return new TokenLoss(sum / Math.max(1, tokens), tokens);
  }
}
