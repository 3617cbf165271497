package org.tuninglab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import java.util.Collection;

/** Clipping by the global norm of all gradients, as {@code torch.nn.utils.clip_grad_norm_}. */
public final class GradientClipping {
  private GradientClipping() {}

  /**
   * Returns the L2 norm of all gradients together.
   *
   * @param grads the gradients
   * @return {@code sqrt(sum of squares)}, infinite or NaN if a gradient is
   */
  public static double globalNorm(Collection<NDArray> grads) {
    double sumSquares = 0;
    try (NDScope scope = new NDScope()) { // frees the temporaries, whichever manager owns them
      for (NDArray g : grads) {
        sumSquares += g.toType(DataType.FLOAT32, false).square().sum().getFloat();
      }
    }
    return Math.sqrt(sumSquares);
  }

  /**
   * Scales the gradients in place so their global norm is at most {@code maxNorm}.
   *
   * @param grads the gradients, changed in place
   * @param maxNorm the largest norm allowed; 0 or less disables clipping
   * @return the norm before clipping
   */
  public static double clip(Collection<NDArray> grads, double maxNorm) {
    double norm = globalNorm(grads);
    if (maxNorm > 0 && Double.isFinite(norm)) {
      double coefficient = maxNorm / (norm + 1e-6);
      if (coefficient < 1) {
        for (NDArray g : grads) {
          g.muli(coefficient);
        }
      }
    }
    return norm;
  }
}
