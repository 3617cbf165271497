package org.tuninglab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A 0-d array whose storage libtorch owns, for scalar operands of operations that autograd records.
 *
 * <p>DJL's {@code x.mul(2.0)} (and {@code div}, {@code add}, ... with a {@code Number}) wraps the
 * number in an array backed by a Java direct buffer, runs the operation, and closes the wrapper at
 * once. On the CPU libtorch does not copy that buffer, and autograd keeps the scalar for backward
 * ({@code mul} and {@code div} need it to form the gradient). When the garbage collector frees the
 * buffer between forward and backward, backward reads freed memory: gradients turn to garbage or
 * NaN while the loss stays finite, now and then, depending on GC timing. A clone owns its storage
 * and lives as long as the graph needs it. {@code OwnedScalarTest} shows both behaviours.
 */
public final class OwnedScalar {
  private OwnedScalar() {}

  /**
   * A 0-d array holding {@code value} in the dtype DJL gives that {@code Number} ({@code Double} is
   * float64, {@code Float} float32), so results equal those of the {@code Number} overloads.
   *
   * @param manager the manager the result belongs to
   * @param value the scalar
   * @return an array whose memory is libtorch's own
   */
  public static NDArray of(NDManager manager, Number value) {
    try (NDArray javaBacked = manager.create(value)) {
      NDArray owned = javaBacked.duplicate();
      owned.attach(manager);
      return owned;
    }
  }
}
