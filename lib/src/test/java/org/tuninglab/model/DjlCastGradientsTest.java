package org.tuninglab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Which DJL operations carry gradients across dtypes (libtorch 2.7.1, CPU). These document the
 * engine's behaviour that mixed-precision training depends on; a DJL upgrade that changes any of
 * them shows up here first.
 */
class DjlCastGradientsTest {
  private static final float[] UPSTREAM = {1f, 10f, 100f};

  /**
   * Runs {@code op} on a parameter [1, 2, 3] of dtype {@code from}, back-propagates the weighted
   * sum {@code 1 y0 + 10 y1 + 100 y2} and returns the parameter's gradient in float32.
   */
  private static float[] gradientThrough(
      DataType from, DataType expectedOut, UnaryOperator<NDArray> op) {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray w = m.create(new float[] {1f, 2f, 3f}).toType(from, false);
      w.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray y = op.apply(w);
        assertEquals(expectedOut, y.getDataType());
        NDArray weights = m.create(UPSTREAM).toType(y.getDataType(), false);
        collector.backward(y.mul(weights).sum());
      }
      NDArray grad = w.getGradient();
      assertEquals(from, grad.getDataType(), "the gradient comes back in the parameter's dtype");
      return grad.toType(DataType.FLOAT32, false).toFloatArray();
    }
  }

  @Test
  void toTypeDetachesItsResultInEitherDirectionWithOrWithoutCopy() {
    for (boolean copy : new boolean[] {false, true}) {
      UnaryOperator<NDArray> toHalf = w -> w.toType(DataType.FLOAT16, copy);
      UnaryOperator<NDArray> toFloat = w -> w.toType(DataType.FLOAT32, copy);
      EngineException down =
          assertThrows(EngineException.class,
              () -> gradientThrough(DataType.FLOAT32, DataType.FLOAT16, toHalf));
      assertTrue(down.getMessage().contains("does not require grad"), down.getMessage());
      assertThrows(EngineException.class,
          () -> gradientThrough(DataType.FLOAT16, DataType.FLOAT32, toFloat));
    }
  }

  @Test
  void typePromotionIsADifferentiableUpcast() {
    float[] grad =
        gradientThrough(DataType.FLOAT16, DataType.FLOAT32,
            w -> w.mul(w.getManager().ones(new Shape(1), DataType.FLOAT32))); // (3) float32
    assertArrayEquals(UPSTREAM, grad);
  }

  @Test
  void settingIntoABufferOfAnotherDtypeIsADifferentiableCast() {
    float[] grad =
        gradientThrough(DataType.FLOAT32, DataType.FLOAT16,
            w -> {
              NDArray buffer = w.getManager().zeros(w.getShape(), DataType.FLOAT16);
              buffer.set(new NDIndex("..."), w); // libtorch copy_: recorded by autograd
              return buffer;
            });
    assertArrayEquals(UPSTREAM, grad);
  }

  @Test
  void differentiableCastCarriesGradientsBothWays() {
    UnaryOperator<NDArray> toHalf = w -> DifferentiableCast.to(w, DataType.FLOAT16);
    UnaryOperator<NDArray> toFloat = w -> DifferentiableCast.to(w, DataType.FLOAT32);
    assertArrayEquals(UPSTREAM, gradientThrough(DataType.FLOAT32, DataType.FLOAT16, toHalf));
    assertArrayEquals(UPSTREAM, gradientThrough(DataType.FLOAT16, DataType.FLOAT32, toFloat));
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray same = m.create(new float[] {1f});
      assertTrue(same == DifferentiableCast.to(same, DataType.FLOAT32), "no copy for the same dtype");
      NDArray half =
          DifferentiableCast.to(m.create(new float[] {1f / 3, 70000f}), DataType.FLOAT16);
      assertArrayEquals(new float[] {0.33325195f, Float.POSITIVE_INFINITY},
          half.toType(DataType.FLOAT32, false).toFloatArray(), "rounds to nearest, overflows to inf");
    }
  }

  @Test
  void softmaxKeepsTheInputDtype() {
    float[] grad = gradientThrough(DataType.FLOAT16, DataType.FLOAT16, w -> w.softmax(-1));
    assertEquals(3, grad.length); // differentiable, but computed and returned in float16
  }
}
