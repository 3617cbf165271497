package org.tuninglab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OwnedScalarTest {

  /**
   * The scalar autograd saves for backward must survive a garbage collection between forward and
   * backward. With DJL's {@code x.mul(3.0)} in place of the owned scalar this gradient comes out
   * as whatever the freed buffer holds by then (0 here, NaN in the notebook that found this).
   */
  @Test
  void savedScalarSurvivesGarbageCollectionBeforeBackward() throws InterruptedException {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.create(new float[] {1f, 2f, 3f, 4f});
      x.setRequiresGradient(true);
      try (NDManager step = manager.newSubManager();
          GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray y = x.mul(OwnedScalar.of(step, 3.0)).sum();
        reuseFreedDirectMemory();
        collector.backward(y);
      }
      assertArrayEquals(new float[] {3f, 3f, 3f, 3f}, x.getGradient().toFloatArray());
    }
  }

  @Test
  void keepsTheDtypeDjlGivesTheNumber() {
    try (NDManager manager = NDManager.newBaseManager()) {
      assertEquals(DataType.FLOAT64, OwnedScalar.of(manager, 0.5).getDataType());
      assertEquals(DataType.FLOAT32, OwnedScalar.of(manager, 0.5f).getDataType());
      assertEquals(0.5, OwnedScalar.of(manager, 0.5).getDouble());
    }
  }

  /** Collects unreachable direct buffers, then fills new ones (likely at the same addresses). */
  private static void reuseFreedDirectMemory() throws InterruptedException {
    List<ByteBuffer> filled = new ArrayList<>();
    for (int round = 0; round < 20; round++) {
      System.gc();
      Thread.sleep(5);
      for (int i = 0; i < 64; i++) {
        ByteBuffer b = ByteBuffer.allocateDirect(64);
        while (b.hasRemaining()) {
          b.put((byte) 0xFF);
        }
        filled.add(b);
      }
    }
  }
}
