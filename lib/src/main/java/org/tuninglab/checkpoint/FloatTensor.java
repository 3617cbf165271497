package org.tuninglab.checkpoint;

import java.util.Arrays;
import java.util.Objects;

/**
 * A float32 tensor held in a Java array, the unit {@link CheckpointWriter} saves.
 *
 * @param shape the dimensions, row-major; empty for a scalar
 * @param data the elements, row-major; its length must be the product of {@code shape}
 */
public record FloatTensor(long[] shape, float[] data) implements SavedTensor {

  public FloatTensor {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(data, "data");
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
    }
    long expected = TensorInfo.elementCount(shape);
    if (expected != data.length) {
      throw new IllegalArgumentException(
          "shape "
              + Arrays.toString(shape)
              + " needs "
              + expected
              + " elements but data has "
              + data.length);
    }
    shape = shape.clone();
  }

  /** The shape; a copy. The data array is shared, not copied, to keep large tensors cheap. */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public int length() {
    return data.length;
  }

  @Override
  public void put(java.nio.ByteBuffer buf, int i, TensorDType storage) {
    SavedTensor.putFloat(buf, data[i], storage);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FloatTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "FloatTensor" + Arrays.toString(shape);
  }
}
