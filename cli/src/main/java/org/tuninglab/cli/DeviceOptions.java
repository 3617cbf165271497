package org.tuninglab.cli;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;

/** Parses the {@code --dtype} option shared by verbs that load a model. */
final class DeviceOptions {
  private DeviceOptions() {}

  /** fp32/fp16 by name; by default fp32 on CPU (fp16 is ~60x slower there) and fp16 on GPU. */
  static DataType dtype(String name, Device device) {
    if (name == null) {
      return device.isGpu() ? DataType.FLOAT16 : DataType.FLOAT32;
    }
    switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "fp32":
      case "float32":
        return DataType.FLOAT32;
      case "fp16":
      case "float16":
        return DataType.FLOAT16;
      default:
        throw new IllegalArgumentException(
            "--dtype must be fp32 or fp16, got '" + name + "' (bf16 is widened to fp32 on load)");
    }
  }
}
