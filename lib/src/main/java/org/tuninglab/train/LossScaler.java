package org.tuninglab.train;

import ai.djl.ndarray.NDArray;
import java.util.Collection;

/**
 * Dynamic loss scaling for float16 training (as {@code torch.amp.GradScaler}): the loss is
 * multiplied by a scale before backward so small gradients survive half precision; gradients are
 * divided by it before clipping; an overflow skips the step and halves the scale, and every
 * {@code growthInterval} good steps double it. Disabled, the scale is 1 and nothing is skipped.
 */
public final class LossScaler {
  private final boolean enabled;
  private final int growthInterval;
  private double scale;
  private int goodSteps;

  private LossScaler(boolean enabled, double initialScale, int growthInterval) {
    this.enabled = enabled;
    this.scale = initialScale;
    this.growthInterval = growthInterval;
  }

  /**
   * Creates a scaler with PyTorch's defaults: scale 65536, growth every 2000 steps.
   *
   * @return the scaler
   */
  public static LossScaler dynamic() {
    return new LossScaler(true, 65536, 2000);
  }

  /**
   * Creates a scaler with a given start and growth interval.
   *
   * @param initialScale the first scale
   * @param growthInterval good steps before the scale doubles
   * @return the scaler
   */
  public static LossScaler dynamic(double initialScale, int growthInterval) {
    return new LossScaler(true, initialScale, growthInterval);
  }

  /**
   * Creates a scaler that does nothing, for float32.
   *
   * @return the scaler
   */
  public static LossScaler disabled() {
    return new LossScaler(false, 1, Integer.MAX_VALUE);
  }

  public boolean enabled() {
    return enabled;
  }

  /** The factor the loss is multiplied by before backward. */
  public double scale() {
    return scale;
  }

  /**
   * Divides the gradients by the scale and checks them.
   *
   * @param grads the gradients, changed in place
   * @return whether every gradient is finite; when not, the step must be skipped
   */
  public boolean unscale(Collection<NDArray> grads) {
    if (!enabled) {
      return true;
    }
    for (NDArray g : grads) {
      g.divi(scale);
    }
    return Double.isFinite(GradientClipping.globalNorm(grads));
  }

  /**
   * Adjusts the scale after a step.
   *
   * @param finite whether the step's gradients were finite
   */
  public void update(boolean finite) {
    if (!enabled) {
      return;
    }
    if (!finite) {
      scale /= 2;
      goodSteps = 0;
    } else if (++goodSteps >= growthInterval) {
      scale *= 2;
      goodSteps = 0;
    }
  }

  /**
   * Restores a saved scale.
   *
   * @param savedScale the scale
   * @param savedGoodSteps the good steps since the last change
   */
  public void restore(double savedScale, int savedGoodSteps) {
    this.scale = savedScale;
    this.goodSteps = savedGoodSteps;
  }

  public int goodSteps() {
    return goodSteps;
  }
}
