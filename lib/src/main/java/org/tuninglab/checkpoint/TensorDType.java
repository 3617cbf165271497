package org.tuninglab.checkpoint;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The element types a safetensors header can name, with their names as written in the file. */
public enum TensorDType {
  F64(8, true),
  F32(4, true),
  F16(2, true),
  BF16(2, true),
  I64(8, false),
  I32(4, false),
  I16(2, false),
  I8(1, false),
  U8(1, false),
  BOOL(1, false);

  private final int byteSize;
  private final boolean floatingPoint;

  TensorDType(int byteSize, boolean floatingPoint) {
    this.byteSize = byteSize;
    this.floatingPoint = floatingPoint;
  }

  /** Bytes one element takes in the file. */
  public int byteSize() {
    return byteSize;
  }

  /** Whether {@link SafetensorsFile#readFloats} can read this type. */
  public boolean isFloatingPoint() {
    return floatingPoint;
  }

  /**
   * The type a safetensors header names, e.g. {@code "BF16"}.
   *
   * @throws IllegalArgumentException for a name this reader does not support, listing those it does
   */
  public static TensorDType parse(String safetensorsName) {
    for (TensorDType t : values()) {
      if (t.name().equals(safetensorsName)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown dtype \""
            + safetensorsName
            + "\", expected one of "
            + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
  }
}
