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

  /**
   * lr 1e-5 moves a weight of 1.0 by about 1e-5 a step, far below half a float16 ulp (4.9e-4):
   * rounding the weight after each step would keep it at 1.0 forever. The float32 master
   * accumulates the 200 steps (about -2e-3), and the float16 weight is the master rounded.
   */
  @Test
  void float16WeightsAccumulateUpdatesBelowHalfAnUlpInAFloat32Master() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray w = m.create(new float[] {1f, -2f}).toType(DataType.FLOAT16, false);
      try (AdamW adam = new AdamW(Map.of("w", w), AdamWConfig.DEFAULT)) {
        NDArray grad = m.create(new float[] {0.5f, -0.1f}).toType(DataType.FLOAT16, false);
        for (int i = 0; i < 200; i++) {
          adam.step(1e-5, Map.of("w", grad));
        }
        NDArray master = adam.state().get("master.w");
        assertEquals(DataType.FLOAT32, master.getDataType());
        assertArrayEquals(new float[] {1f - 2e-3f, -2f + 2e-3f}, master.toFloatArray(), 1e-5f);
        float[] half = w.toType(DataType.FLOAT32, false).toFloatArray();
        assertArrayEquals(new float[] {0.9980469f, -1.9980469f}, half, 0f); // master, rounded
      }
    }
  }

  @Test
  void loadingStateRestoresTheMasterAndRoundsItIntoTheWeight() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray w = m.create(new float[] {1f}).toType(DataType.FLOAT16, false);
      try (AdamW adam = new AdamW(Map.of("w", w), AdamWConfig.DEFAULT)) {
        Map<String, NDArray> saved =
            Map.of(
                "exp_avg.w", m.create(new float[] {0.1f}),
                "exp_avg_sq.w", m.create(new float[] {0.2f}),
                "master.w", m.create(new float[] {0.99951f}));
        adam.load(saved, 7);
        assertArrayEquals(new float[] {0.99951f}, adam.state().get("master.w").toFloatArray(), 0f);
        float[] rounded = w.toType(DataType.FLOAT32, false).toFloatArray();
        assertArrayEquals(new float[] {0.99951172f}, rounded, 0f);
        assertEquals(7, adam.stepCount());
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
