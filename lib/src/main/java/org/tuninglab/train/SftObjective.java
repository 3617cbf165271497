package org.tuninglab.train;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tuninglab.data.Batch;
import org.tuninglab.data.EncodedExample;
import org.tuninglab.data.SftCollator;
import org.tuninglab.score.ForwardPass;
import org.tuninglab.score.HoldoutLoss;
import org.tuninglab.score.TokenCrossEntropy;
import org.tuninglab.score.TokenLoss;

/**
 * Supervised fine-tuning's objective: next-token cross-entropy over the trained (completion)
 * tokens, normalised over the trained tokens of the whole update, so k micro-batches give the
 * update of one k-times-larger batch.
 */
public final class SftObjective implements TrainingObjective<EncodedExample> {
  private final SftCollator collator;

  /**
   * @param collator pads the micro-batches and builds their labels
   */
  public SftObjective(SftCollator collator) {
    this.collator = Objects.requireNonNull(collator, "collator");
  }

  /** The trained tokens that have a label (the first token has none). */
  @Override
  public long weight(EncodedExample e) {
    return e.trainedCount() - (e.trained()[0] ? 1 : 0);
  }

  @Override
  public int length(EncodedExample e) {
    return e.length();
  }

  @Override
  public Loss loss(ForwardPass model, List<EncodedExample> examples, NDManager scope) {
    Batch batch = collator.collate(examples, scope);
    return Loss.of(
        TokenCrossEntropy.sum(
            model.logits(batch.inputIds(), batch.attentionMask()), batch.labels())); // (B, T, V)
  }

  @Override
  public Evaluation evaluate(
      ForwardPass model, List<EncodedExample> holdout, int batchSize, NDManager manager) {
    TokenLoss loss = HoldoutLoss.compute(model, collator.batches(holdout, batchSize), manager);
    return new Evaluation(loss.mean(), loss.tokens(), Map.of());
  }
}
