package org.tuninglab.checkpoint;

import java.nio.ByteBuffer;

/**
 * A tensor {@link CheckpointWriter} can save: float32 values ({@link FloatTensor}) or fp16 bit
 * patterns ({@link Fp16Tensor}, a half-precision model's weights with no float32 copy).
 */
public sealed interface SavedTensor permits FloatTensor, Fp16Tensor {

  /** The dimensions, row-major. */
  long[] shape();

  /** The number of elements. */
  int length();

  /** Puts element {@code i} into {@code buf} in {@code storage} (F32, F16 or BF16), rounding to nearest even. */
  void put(ByteBuffer buf, int i, TensorDType storage);

  /** Puts a float32 value in {@code storage}, rounding to nearest even when narrowing. */
  static void putFloat(ByteBuffer buf, float value, TensorDType storage) {
    switch (storage) {
      case F32 -> buf.putFloat(value);
      case F16 -> buf.putShort(HalfFloats.floatToFp16(value));
      case BF16 -> buf.putShort(HalfFloats.floatToBf16(value));
      default -> throw new AssertionError(storage);
    }
  }
}
