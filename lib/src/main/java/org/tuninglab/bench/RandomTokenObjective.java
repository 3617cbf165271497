package org.tuninglab.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.tuninglab.score.ForwardPass;
import org.tuninglab.score.TokenCrossEntropy;
import org.tuninglab.train.TrainingObjective;

/**
 * Next-token cross-entropy on {@link RandomTokenBatch}es, every label trained: the objective the
 * methods benchmark times the trainer's own step with. Each "example" is a whole batch.
 */
final class RandomTokenObjective implements TrainingObjective<RandomTokenBatch> {
  private final Shape shape;

  /**
   * @param batch sequences per batch
   * @param seqLen tokens per sequence
   */
  RandomTokenObjective(int batch, int seqLen) {
    this.shape = new Shape(batch, seqLen);
  }

  @Override
  public long weight(RandomTokenBatch batch) {
    return batch.labels().length;
  }

  @Override
  public int length(RandomTokenBatch batch) {
    return batch.inputs().length;
  }

  @Override
  public Loss loss(ForwardPass model, List<RandomTokenBatch> batches, NDManager scope) {
    if (batches.size() != 1) {
      throw new IllegalArgumentException("one random batch per micro-batch, got " + batches.size());
    }
    RandomTokenBatch batch = batches.get(0);
    NDArray logits = model.logits(scope.create(batch.inputs(), shape), null); // (B, T, V)
    return Loss.of(TokenCrossEntropy.sum(logits, scope.create(batch.labels(), shape)));
  }

  /** The benchmark times training steps only. */
  @Override
  public Evaluation evaluate(
      ForwardPass model, List<RandomTokenBatch> holdout, int batchSize, NDManager manager) {
    throw new UnsupportedOperationException("the methods benchmark has no holdout");
  }
}
