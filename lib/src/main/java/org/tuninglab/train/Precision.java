package org.tuninglab.train;

import ai.djl.ndarray.types.DataType;

/** The dtype weights are trained in. */
public enum Precision {
  /** float32: the CPU default. */
  FP32(DataType.FLOAT32),
  /** float16 with dynamic loss scaling: for GPUs (about 60 times slower than float32 on a CPU). */
  FP16(DataType.FLOAT16);

  private final DataType dataType;

  Precision(DataType dataType) {
    this.dataType = dataType;
  }

  public DataType dataType() {
    return dataType;
  }
}
