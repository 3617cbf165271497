package org.tuninglab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * A dtype conversion that keeps the autograd graph, for mixed-precision training.
 *
 * <p>DJL's {@code NDArray.toType} detaches its result (a gradient through it fails with "element 0
 * of tensors does not require grad"), so a float16 model that upcasts to float32 with it cannot
 * train. Copying into a fresh buffer of the target dtype with {@code set(new NDIndex("..."), x)}
 * is libtorch's {@code copy_}, which autograd records: the gradient flows back, cast to {@code x}'s
 * dtype. {@code DjlCastGradientsTest} pins both behaviours.
 */
public final class DifferentiableCast {
  private DifferentiableCast() {}

  /**
   * Returns {@code x} in {@code dtype}, differentiable with respect to {@code x}.
   *
   * @param x the array; the result belongs to its manager
   * @param dtype the target dtype
   * @return {@code x} itself when it already has that dtype, else a converted copy
   */
  public static NDArray to(NDArray x, DataType dtype) {
    if (x.getDataType() == dtype) {
      return x;
    }
    NDArray out = x.getManager().create(x.getShape(), dtype); // uninitialised, overwritten below
    out.set(new NDIndex("..."), x);
    return out;
  }
}
