package org.tuninglab.train;

/**
 * AdamW's hyperparameters besides the learning rate (which the schedule sets each step).
 *
 * @param beta1 decay of the gradient's running mean (PyTorch default 0.9)
 * @param beta2 decay of the squared gradient's running mean (default 0.999)
 * @param eps added to the denominator for stability (default 1e-8)
 * @param weightDecay decoupled decay: each step multiplies weights by {@code 1 - lr * weightDecay}
 *     (default 0.01 in PyTorch; Hugging Face's Trainer defaults to 0)
 */
public record AdamWConfig(double beta1, double beta2, double eps, double weightDecay) {

  /** PyTorch's defaults with no weight decay, as Hugging Face's Trainer uses. */
  public static final AdamWConfig DEFAULT = new AdamWConfig(0.9, 0.999, 1e-8, 0);

  /** Checks ranges. */
  public AdamWConfig {
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
    }
    if (!(eps > 0) || !(weightDecay >= 0)) {
      throw new IllegalArgumentException(
          "eps must be positive and weightDecay non-negative, got " + eps + ", " + weightDecay);
    }
  }

  /**
   * Returns this config with another weight decay.
   *
   * @param value the weight decay
   * @return the new config
   */
  public AdamWConfig withWeightDecay(double value) {
    return new AdamWConfig(beta1, beta2, eps, value);
  }
}
