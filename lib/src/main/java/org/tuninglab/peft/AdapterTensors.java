package org.tuninglab.peft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tuninglab.checkpoint.CheckpointWriter;
import org.tuninglab.checkpoint.FloatTensor;
import org.tuninglab.checkpoint.SafetensorsFile;
import org.tuninglab.checkpoint.TensorDType;
import org.tuninglab.checkpoint.TensorInfo;

/**
 * {@code adapter_model.safetensors}: an adapter's tensors by PEFT name. Written as float32 with
 * PEFT's {@code {"format": "pt"}} metadata; read from F32, F16 or BF16 (PEFT saves a bf16 model's
 * adapter in bf16), widened to float32 in Java before DJL sees it.
 */
final class AdapterTensors {
  static final String FILE = "adapter_model.safetensors";

  private AdapterTensors() {}

  /** Writes the tensors atomically, in the map's order. */
  static void write(Path dir, Map<String, NDArray> tensors) throws IOException {
    LinkedHashMap<String, FloatTensor> data = new LinkedHashMap<>();
    for (var e : tensors.entrySet()) {
      data.put(
          e.getKey(), new FloatTensor(e.getValue().getShape().getShape(), floats(e.getValue())));
    }
    Files.createDirectories(dir);
    CheckpointWriter.writeFile(dir.resolve(FILE), data, TensorDType.F32, Map.of());
  }

  /** The values as float32; a converted copy is freed at once rather than left in the manager. */
  private static float[] floats(NDArray a) {
    if (a.getDataType() == DataType.FLOAT32) {
      return a.toFloatArray();
    }
    try (NDArray copy = a.toType(DataType.FLOAT32, true)) {
      return copy.toFloatArray();
    }
  }

  /**
   * Reads every tensor of {@code dir/adapter_model.safetensors} as float32 into {@code manager}.
   */
  static Map<String, NDArray> read(Path dir, NDManager manager) throws IOException {
    Path file = dir.resolve(FILE);
    if (!Files.exists(file)) {
      throw new AdapterFormatException(
          file + ": not found (an adapter directory needs " + FILE + ")");
    }
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    try (SafetensorsFile st = SafetensorsFile.open(file)) {
      for (TensorInfo info : st.tensors().values()) {
        if (!info.dtype().isFloatingPoint()) {
          throw new AdapterFormatException(
              file
                  + ": tensor '"
                  + info.name()
                  + "' has dtype "
                  + info.dtype()
                  + ", expected F32, F16 or BF16");
        }
        tensors.put(
            info.name(), manager.create(st.readFloats(info.name()), new Shape(info.shape())));
      }
    }
    return tensors;
  }
}
