package org.tuninglab.preference;

import ai.djl.ndarray.NDArray;

/**
 * A preference loss's value for each pair and the implicit rewards it assigns.
 *
 * @param losses {@code (B)} the per-pair losses, with the policy's gradient
 * @param chosenRewards {@code (B)} the chosen answers' rewards, detached
 * @param rejectedRewards {@code (B)} the rejected answers' rewards, detached
 */
public record LossTerms(NDArray losses, NDArray chosenRewards, NDArray rejectedRewards) {

  /**
   * The batch loss: the mean over pairs.
   *
   * @return a scalar with the gradient
   */
  public NDArray loss() {
    return losses.mean();
  }
}
