package org.tuninglab.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GpuMemoryTest {
  @Test
  void presetsAndSizes() {
    assertEquals(40L << 30, GpuMemory.parse("A100-40GB").bytes());
    assertEquals(141L << 30, GpuMemory.parse("h200-141gb").bytes());
    assertEquals(48L << 30, GpuMemory.parse("l40s").bytes());
    assertEquals(24L << 30, GpuMemory.parse("24").bytes());
    assertEquals(24L << 30, GpuMemory.parse("24gb").bytes());
    assertEquals(3L << 29, GpuMemory.parse("1.5GiB").bytes());
  }

  @Test
  void badSizesNameTheOptionAndThePresets() {
    for (String bad : new String[] {"a100", "-3", "0", "lots"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> GpuMemory.parse(bad));
      assertTrue(e.getMessage().startsWith("--gpu must be one of v100-16gb"), e.getMessage());
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
  }
}
