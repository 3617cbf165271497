package org.tuninglab.preference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each loss against its formula on hand-computed values. */
class PreferenceLossTest {
  private static final double LOG2 = Math.log(2);
  private NDManager m;

  @BeforeEach
  void open() {
    m = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    m.close();
  }

  private PairLogps logps(float[] chosen, float[] rejected, float[] chosenTokens, float[] rejectedTokens) {
    return new PairLogps(m.create(chosen), m.create(rejected), m.create(chosenTokens), m.create(rejectedTokens));
  }

  /** Pair 0: policy (-10, -14), reference (-11, -12), so h = 3. Pair 1: policy = reference. */
  private PairLogps policy() {
    return logps(new float[] {-10, -20}, new float[] {-14, -25}, new float[] {5, 4}, new float[] {4, 6});
  }

  private PairLogps reference() {
    return logps(new float[] {-11, -20}, new float[] {-12, -25}, new float[] {5, 4}, new float[] {4, 6});
  }

  private static void assertValues(double[] expected, NDArray actual) {
    float[] values = actual.toFloatArray();
    assertEquals(expected.length, values.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], values[i], 1e-5, "element " + i);
    }
  }

  @Test
  void sigmoidDpoIsMinusLogSigmoidOfBetaTimesTheMargin() {
    LossTerms terms = PreferenceLoss.dpo().terms(policy(), reference());
    // -log sigma(0.1 * 3) = log(1 + e^-0.3); the equal pair gives log 2.
    assertValues(new double[] {0.5543552, LOG2}, terms.losses());
    assertValues(new double[] {0.1 * (-10 + 11), 0}, terms.chosenRewards());
    assertValues(new double[] {0.1 * (-14 + 12), 0}, terms.rejectedRewards());
    assertEquals((0.5543552 + LOG2) / 2, terms.loss().getFloat(), 1e-5);
  }

  @Test
  void labelSmoothingMixesInTheFlippedLabelsLoss() {
    LossTerms terms = PreferenceLoss.sigmoid(0.1, 0.2).terms(policy(), reference());
    double z = 0.3;
    double expected = 0.8 * Math.log1p(Math.exp(-z)) + 0.2 * Math.log1p(Math.exp(z));
    assertEquals(0.6143552, expected, 1e-6);
    // Whatever the smoothing, an unmoved policy still costs log 2.
    assertValues(new double[] {expected, LOG2}, terms.losses());
  }

  @Test
  void ipoIsTheSquaredDistanceOfTheMarginFromItsTarget() {
    LossTerms terms = PreferenceLoss.ipo(0.25).terms(policy(), reference());
    // (h - 1 / (2 beta))^2: (3 - 2)^2 and (0 - 2)^2.
    assertValues(new double[] {1, 4}, terms.losses());
    assertValues(new double[] {0.25, 0}, terms.chosenRewards());
  }

  @Test
  void simpoNeedsNoReferenceAndNormalisesByLength() {
    PreferenceLoss simpo = PreferenceLoss.simpo(2, 0.5);
    LossTerms terms = simpo.terms(policy(), null);
    // Pair 0: -10/5 - (-14/4) = 1.5, minus gamma/beta 0.5 = 1, times beta 2: -log sigma(2).
    // Pair 1: -20/4 - (-25/6) = -0.8333, minus 0.5, times 2 = -2.6667.
    double z1 = 2 * (-20.0 / 4 + 25.0 / 6 - 0.5);
    assertValues(new double[] {Math.log1p(Math.exp(-2)), Math.log1p(Math.exp(-z1))}, terms.losses());
    assertValues(new double[] {2 * -2.0, 2 * -5.0}, terms.chosenRewards());
    assertValues(new double[] {2 * -3.5, 2 * -25.0 / 6}, terms.rejectedRewards());
    assertEquals(false, simpo.needsReference());
  }

  @Test
  void aPolicyEqualToItsReferenceCostsLog2WithZeroRewards() {
    for (PreferenceLoss loss : List.of(PreferenceLoss.dpo(), PreferenceLoss.sigmoid(0.5, 0.1))) {
      LossTerms terms = loss.terms(reference(), reference());
      assertValues(new double[] {LOG2, LOG2}, terms.losses());
      assertValues(new double[] {0, 0}, terms.chosenRewards());
      assertValues(new double[] {0, 0}, terms.rejectedRewards());
    }
  }

  @Test
  void theGradientIsTheFormulasAndRewardsCarryNone() {
    NDArray chosen = m.create(new float[] {-10});
    NDArray rejected = m.create(new float[] {-14});
    chosen.setRequiresGradient(true);
    rejected.setRequiresGradient(true);
    PairLogps policy = new PairLogps(chosen, rejected, m.create(new float[] {5}), m.create(new float[] {4}));
    PairLogps reference = logps(new float[] {-11}, new float[] {-12}, new float[] {5}, new float[] {4});
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      LossTerms terms = PreferenceLoss.dpo().terms(policy, reference);
      gc.backward(terms.loss());
    }
    // d/d chosen of -log sigma(beta h) = -beta (1 - sigma(beta h)); the rejected side's is its negative.
    double g = -0.1 * (1 - 1 / (1 + Math.exp(-0.3)));
    assertArrayEquals(new float[] {(float) g}, chosen.getGradient().toFloatArray(), 1e-6f);
    assertArrayEquals(new float[] {(float) -g}, rejected.getGradient().toFloatArray(), 1e-6f);
  }

  @Test
  void aReferenceLossWithoutReferenceAndBadSettingsFail() {
    assertThrows(IllegalArgumentException.class, () -> PreferenceLoss.dpo().terms(policy(), null));
    assertThrows(IllegalArgumentException.class, () -> PreferenceLoss.sigmoid(0, 0));
    assertThrows(IllegalArgumentException.class, () -> PreferenceLoss.sigmoid(0.1, 0.5));
    assertThrows(IllegalArgumentException.class, () -> PreferenceLoss.ipo(-1));
    assertEquals(List.of("sigmoid", "ipo", "simpo"),
        List.of(PreferenceLoss.dpo().name(), PreferenceLoss.ipo(0.1).name(), PreferenceLoss.simpo(2, 0.5).name()));
  }
}
