package org.tuninglab.checkpoint;

import java.util.Arrays;
import java.util.Objects;

/**
 * Where one tensor lies in a safetensors file.
 *
 * @param name the tensor's key in the header
 * @param dtype the element type as stored
 * @param shape the dimensions, row-major; empty for a scalar
 * @param byteOffset offset of the first byte, relative to the start of the data section
 * @param byteLength number of bytes, {@code elementCount() * dtype.byteSize()}
 */
public record TensorInfo(String name, TensorDType dtype, long[] shape, long byteOffset, long byteLength) {

  public TensorInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dtype, "dtype");
    shape = shape.clone();
  }

  /** The shape; a copy, so callers cannot change this record. */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** Product of the dimensions (1 for a scalar). */
  public long elementCount() {
    return elementCount(shape);
  }

  static long elementCount(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorInfo t
        && name.equals(t.name)
        && dtype == t.dtype
        && Arrays.equals(shape, t.shape)
        && byteOffset == t.byteOffset
        && byteLength == t.byteLength;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, dtype, Arrays.hashCode(shape), byteOffset, byteLength);
  }

  @Override
  public String toString() {
    return name + " " + dtype + Arrays.toString(shape) + " @" + byteOffset + "+" + byteLength;
  }
}
