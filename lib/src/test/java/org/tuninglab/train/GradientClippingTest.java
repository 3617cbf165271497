package org.tuninglab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradientClippingTest {
  @Test
  void clipsByTheNormOfAllGradientsTogether() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.create(new float[] {3f, 0f});
      NDArray b = m.create(new float[] {4f});
      double norm = GradientClipping.clip(List.of(a, b), 1.0);
      assertEquals(5.0, norm, 1e-6);
      assertArrayEquals(new float[] {0.6f, 0f}, a.toFloatArray(), 1e-6f);
      assertArrayEquals(new float[] {0.8f}, b.toFloatArray(), 1e-6f);
      assertEquals(1.0, GradientClipping.globalNorm(List.of(a, b)), 1e-5);
    }
  }

  @Test
  void smallGradientsAndDisabledClippingAreUntouched() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.create(new float[] {0.3f, 0.4f});
      assertEquals(0.5, GradientClipping.clip(List.of(a), 1.0), 1e-6);
      assertArrayEquals(new float[] {0.3f, 0.4f}, a.toFloatArray());
      GradientClipping.clip(List.of(a), 0);
      assertArrayEquals(new float[] {0.3f, 0.4f}, a.toFloatArray());
    }
  }

  @Test
  void lossScalerSkipsOverflowAndBacksOff() {
    try (NDManager m = NDManager.newBaseManager()) {
      LossScaler scaler = LossScaler.dynamic(8, 2);
      NDArray ok = m.create(new float[] {8f, 16f});
      assertTrue(scaler.unscale(List.of(ok)));
      assertArrayEquals(new float[] {1f, 2f}, ok.toFloatArray());
      scaler.update(true);
      scaler.update(true);
      assertEquals(16, scaler.scale());
      assertFalse(scaler.unscale(List.of(m.create(new float[] {Float.POSITIVE_INFINITY}))));
      scaler.update(false);
      assertEquals(8, scaler.scale());
      assertEquals(1, LossScaler.disabled().scale());
    }
  }
}
