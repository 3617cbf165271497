package org.tuninglab.checkpoint;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * An fp16 tensor held as its bit patterns in a Java array: saved to F16 as is, widened exactly to
 * F32, or rounded to BF16, one element at a time.
 *
 * @param shape the dimensions, row-major; empty for a scalar
 * @param bits the elements' fp16 bits, row-major; its length must be the product of {@code shape}
 */
public record Fp16Tensor(long[] shape, short[] bits) implements SavedTensor {

  public Fp16Tensor {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(bits, "bits");
    if (TensorInfo.elementCount(shape) != bits.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + TensorInfo.elementCount(shape)
              + " elements but bits has " + bits.length);
    }
    shape = shape.clone();
  }

  /** The shape; a copy. The bits array is shared, not copied, to keep large tensors cheap. */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public int length() {
    return bits.length;
  }

  @Override
  public void put(ByteBuffer buf, int i, TensorDType storage) {
    if (storage == TensorDType.F16) {
      buf.putShort(bits[i]);
    } else {
      SavedTensor.putFloat(buf, HalfFloats.fp16ToFloat(bits[i]), storage); // exact widening first
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Fp16Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(bits, t.bits);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(bits);
  }

  @Override
  public String toString() {
    return "Fp16Tensor" + Arrays.toString(shape);
  }
}
