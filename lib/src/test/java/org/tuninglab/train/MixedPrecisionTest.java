package org.tuninglab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The precision policy, checked without a GPU: nothing here creates a bfloat16 array (that aborts the JVM). */
class MixedPrecisionTest {

  @Test
  void fp16OnAGpuComputesInHalfWithFloat32MastersAndLossScaling() {
    MixedPrecision p = MixedPrecision.forDevice(Precision.FP16, Device.gpu());
    assertEquals(new MixedPrecision(Precision.FP16, DataType.FLOAT16, DataType.FLOAT32, true), p);
    assertEquals(new MixedPrecision(Precision.FP32, DataType.FLOAT32, DataType.FLOAT32, false),
        MixedPrecision.forDevice(Precision.FP32, Device.cpu()));
  }

  @Test
  void fp16OnACpuAndBf16AnywhereAreRefusedWithWhatToUse() {
    IllegalArgumentException cpu = assertThrows(IllegalArgumentException.class,
        () -> MixedPrecision.forDevice(Precision.FP16, Device.cpu()));
    assertTrue(cpu.getMessage().contains("set precision: fp32"), cpu.getMessage());
    for (Device d : new Device[] {Device.cpu(), Device.gpu()}) {
      IllegalArgumentException bf16 = assertThrows(IllegalArgumentException.class,
          () -> MixedPrecision.forDevice(Precision.BF16, d));
      assertEquals(MixedPrecision.BF16_BLOCKED, bf16.getMessage());
    }
    // The enum never hands out the dtype that would abort the process.
    assertThrows(IllegalArgumentException.class, Precision.BF16::dataType);
  }

  @Test
  void aConfigAskingForBf16IsRefusedNamingTheFileAndField(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("bf16.yaml");
    Files.writeString(config, "model: m\ntrain_file: t.jsonl\nprecision: bf16\n");
    ConfigFormatException e = assertThrows(ConfigFormatException.class, () -> SftConfigFile.load(config));
    assertTrue(e.getMessage().contains("bf16.yaml") && e.getMessage().contains("precision")
        && e.getMessage().contains("use precision: fp16"), e.getMessage());
  }
}
