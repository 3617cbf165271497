package org.tuninglab.peft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tuninglab.io.AtomicFiles;

/** {@code adapter_model.safetensors}: an adapter's tensors by PEFT name, written as float32. */
final class AdapterTensors {
  static final String FILE = "adapter_model.safetensors";

  private AdapterTensors() {}

  /** Writes the tensors atomically; each is copied to float32, so the file loads anywhere. */
  static void write(Path dir, Map<String, NDArray> tensors) throws IOException {
    NDList list = new NDList();
    try {
      for (var e : tensors.entrySet()) {
        NDArray copy = e.getValue().toType(DataType.FLOAT32, true);
        copy.setName(e.getKey());
        list.add(copy);
      }
      AtomicFiles.write(dir.resolve(FILE), out -> list.encode(out, NDList.Encoding.SAFETENSORS));
    } finally {
      list.close();
    }
  }

  /** Reads every tensor of {@code dir/adapter_model.safetensors} into {@code manager}. */
  static Map<String, NDArray> read(Path dir, NDManager manager) throws IOException {
    Path file = dir.resolve(FILE);
    NDList list;
    try (InputStream in = Files.newInputStream(file)) {
      list = NDList.decode(manager, in);
    } catch (NoSuchFileException e) {
      throw new AdapterFormatException(file + ": not found (an adapter directory needs " + FILE + ")");
    } catch (RuntimeException e) {
      throw new AdapterFormatException(file + ": not a readable safetensors file: " + e.getMessage());
    }
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    for (NDArray a : list) {
      tensors.put(a.getName(), a);
    }
    return tensors;
  }
}
