package org.tuninglab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import org.tuninglab.checkpoint.Checkpoint;
import org.tuninglab.checkpoint.CheckpointWriter;
import org.tuninglab.checkpoint.FloatTensor;
import org.tuninglab.checkpoint.TensorDType;
import org.tuninglab.testing.TinyModelDir;

/**
 * An fp16 model reads F16, BF16 and F32 checkpoints straight into fp16 and saves its fp16 bytes
 * (no float32 copy either way), bit for bit what the float32 route gave.
 */
class HalfPrecisionCheckpointTest {

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(value = TensorDType.class, names = {"F16", "BF16", "F32"})
  void everyTensorMatchesTheFloat32RouteBitForBit(TensorDType storage) throws Exception {
    TinyModelDir.write(dir, 4, storage, 64L << 20);
    try (PretrainedModel m = PretrainedModel.load(dir, Device.cpu(), DataType.FLOAT16);
        Checkpoint checkpoint = Checkpoint.open(dir);
        NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Map<String, NDArray> arrays = m.model().namedArrays();
      assertEquals(checkpoint.names().size(), arrays.size());
      for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
        assertEquals(DataType.FLOAT16, e.getValue().getDataType(), e.getKey());
        long[] shape = checkpoint.shape(e.getKey());
        NDArray viaFloat32 = manager.create(checkpoint.readFloats(e.getKey()), new Shape(shape)).toType(DataType.FLOAT16, false);
        assertArrayEquals(viaFloat32.toByteArray(), e.getValue().toByteArray(), e.getKey() + " stored as " + storage);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = TensorDType.class, names = {"F16", "BF16", "F32"})
  void savingAnFp16ModelWritesTheFloat32RoutesBytes(TensorDType storage) throws Exception {
    TinyModelDir.write(dir.resolve("source"), 5, TensorDType.F32, 64L << 20);
    try (PretrainedModel m = PretrainedModel.load(dir.resolve("source"), Device.cpu(), DataType.FLOAT16)) {
      m.save(dir.resolve("direct"), storage, 64L << 20);
      LinkedHashMap<String, FloatTensor> viaFloat32 = new LinkedHashMap<>();
      m.model().namedArrays().forEach((name, array) -> viaFloat32.put(name,
          new FloatTensor(array.getShape().getShape(), array.toType(DataType.FLOAT32, false).toFloatArray())));
      CheckpointWriter.writeDirectory(dir.resolve("float32"), viaFloat32, storage, 64L << 20);
    }
    assertArrayEquals(Files.readAllBytes(dir.resolve("float32/model.safetensors")),
        Files.readAllBytes(dir.resolve("direct/model.safetensors")), "stored as " + storage);
  }
}
