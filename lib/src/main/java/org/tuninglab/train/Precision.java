package org.tuninglab.train;

import ai.djl.ndarray.types.DataType;

/** The dtype weights are trained in; {@link MixedPrecision} says what each means on a device. */
public enum Precision {
  /** float32: the CPU default. */
  FP32(DataType.FLOAT32),
  /** float16 with dynamic loss scaling: for GPUs (about 60 times slower than float32 on a CPU). */
  FP16(DataType.FLOAT16),
  /**
   * bfloat16 autocast (A100/H100): parsed so a config saying it gets a clear refusal, never run:
   * DJL's PyTorch JNI has no bfloat16 ({@link MixedPrecision#BF16_BLOCKED}).
   */
  BF16(null);

  private final DataType dataType;

  Precision(DataType dataType) {
    this.dataType = dataType;
  }

  /**
   * The weights' dtype.
   *
   * @throws IllegalArgumentException for {@link #BF16}: a bfloat16 array aborts the JVM
   */
  public DataType dataType() {
    if (dataType == null) {
      throw new IllegalArgumentException(MixedPrecision.BF16_BLOCKED);
    }
    return dataType;
  }
}
