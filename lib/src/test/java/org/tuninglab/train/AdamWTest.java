package org.tuninglab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdamWTest {
  private static final AdamWConfig CONFIG = AdamWConfig.DEFAULT.withWeightDecay(0.01);

  /** Expected values from torch.optim.AdamW(lr=0.1, weight_decay=0.01) in float64. */
  @Test
  void twoStepsMatchPyTorch() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray w = m.create(new float[] {1f, -2f});
      try (AdamW adam = new AdamW(Map.of("w", w), CONFIG)) {
        adam.step(0.1, Map.of("w", m.create(new float[] {0.5f, -0.1f})));
        assertArrayEquals(new float[] {0.899000002f, -1.898000010f}, w.toFloatArray(), 1e-6f);
        adam.step(0.1, Map.of("w", m.create(new float[] {0.2f, 0.3f})));
        assertArrayEquals(new float[] {0.8082434839f, -1.9455209911f}, w.toFloatArray(), 1e-6f);
        assertEquals(2, adam.stepCount());
        assertArrayEquals(new float[] {0.065f, 0.021f}, adam.state().get("exp_avg.w").toFloatArray(), 1e-7f);
      }
    }
  }

  @Test
  void float16WeightsAreUpdatedFromFloat32Moments() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray w = m.create(new float[] {1f, -2f}).toType(DataType.FLOAT16, false);
      try (AdamW adam = new AdamW(Map.of("w", w), CONFIG)) {
        adam.step(0.1, Map.of("w", m.create(new float[] {0.5f, -0.1f}).toType(DataType.FLOAT16, false)));
        assertEquals(DataType.FLOAT16, w.getDataType());
        assertArrayEquals(new float[] {0.899f, -1.898f}, w.toType(DataType.FLOAT32, false).toFloatArray(), 2e-3f);
      }
    }
  }

  @Test
  void restoredStateContinuesIdentically() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.create(new float[] {1f, -2f});
      NDArray b = m.create(new float[] {1f, -2f});
      try (AdamW first = new AdamW(Map.of("w", a), CONFIG);
          AdamW second = new AdamW(Map.of("w", b), CONFIG)) {
        first.step(0.1, Map.of("w", m.create(new float[] {0.5f, -0.1f})));
        b.set(new NDIndex("..."), a);
        second.load(first.state(), first.stepCount());
        first.step(0.1, Map.of("w", m.create(new float[] {0.2f, 0.3f})));
        second.step(0.1, Map.of("w", m.create(new float[] {0.2f, 0.3f})));
        assertArrayEquals(a.toFloatArray(), b.toFloatArray(), 0f);
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> second.load(Map.of(), 1));
        assertEquals("optimizer state \"exp_avg.w\": expected shape (2), found nothing", e.getMessage());
      }
    }
  }
}
