package org.tuninglab.score;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns autograd off in this thread until closed, then restores what was there. libtorch's grad
 * mode is per thread, and DJL's {@code GradientCollector} restores the mode it found when it
 * closes, so whatever left the mode on in a thread leaves it on after every training step: in the
 * notebook kernel's cell thread the optimizer then failed with "a leaf Variable that requires grad
 * is being used in an in-place operation". Code that writes parameters or gradients in place, or
 * only scores, says so with this scope rather than relying on the thread's state.
 *
 * <pre>{@code
 * try (NoGrad off = NoGrad.enter()) {
 *   weight.subi(update);
 * }
 * }</pre>
 */
public final class NoGrad implements AutoCloseable {
  private final boolean previous;

  private NoGrad() {
    previous = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
  }

  /**
   * Turns autograd off in the calling thread.
   *
   * @return the scope; close it on the same thread
   */
  public static NoGrad enter() {
    return new NoGrad();
  }

  @Override
  public void close() {
    JniUtils.setGradMode(previous);
  }
}
