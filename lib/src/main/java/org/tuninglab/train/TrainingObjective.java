package org.tuninglab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.tuninglab.score.ForwardPass;

/**
 * What a training step minimises, over examples of type {@code E}: the one place a training loop
 * and a method of learning meet. {@link SftObjective} is next-token cross-entropy on encoded
 * examples; a preference objective (DPO) scores pairs with its own example type. The
 * {@link TrainingStep} accumulates micro-batches, normalises by the update's total
 * {@link #weight}, clips and steps, whatever the objective.
 *
 * @param <E> one training example as the objective sees it
 */
public interface TrainingObjective<E> {

  /**
   * The loss of a micro-batch, summed (not averaged) over its units, with a graph to backward.
   *
   * @param sum a scalar: the summed loss, divided by the update's total {@link #weight} before
   *     backward
   * @param metrics other figures, summed over the micro-batch's units like the loss (the step
   *     reports them divided by the same total)
   */
  record Loss(NDArray sum, Map<String, Double> metrics) {
    /** A loss without other metrics. */
    public static Loss of(NDArray sum) {
      return new Loss(sum, Map.of());
    }
  }

  /**
   * A holdout's score.
   *
   * @param loss the mean loss per unit (lower is better; early stopping follows it)
   * @param units how many units it averages (trained tokens, pairs)
   * @param metrics other figures, by name
   */
  record Evaluation(double loss, long units, Map<String, Double> metrics) {}

  /**
   * How many units an example adds to an update's mean: its trained tokens for SFT, 1 for a
   * preference pair.
   */
  long weight(E example);

  /** Input tokens of an example, for the throughput report. */
  int length(E example);

  /**
   * The summed loss of one micro-batch; called with autograd on.
   *
   * @param model the model being trained, in training mode
   * @param examples the micro-batch
   * @param scope owns the micro-batch's arrays
   * @return the loss
   */
  Loss loss(ForwardPass model, List<E> examples, NDManager scope);

  /**
   * Scores a holdout without gradients.
   *
   * @param model the model, in evaluation mode
   * @param holdout the examples, in order
   * @param batchSize examples per forward pass
   * @param manager the parent of the per-batch managers
   * @return the score
   */
  Evaluation evaluate(ForwardPass model, List<E> holdout, int batchSize, NDManager manager);
}
