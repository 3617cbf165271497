package org.tuninglab.score;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class TokenCrossEntropyTest {
  @Test
  void meanOverTrainedPositionsOnly() {
    try (NDManager m = NDManager.newBaseManager()) {
      float[] logits = {2, 0, -1, /* */ 0, 0, 0, /* */ 5, 1, 1, /* */ -3, 4, 0};
      long[] labels = {0, TokenCrossEntropy.IGNORE, 2, 1};
      double expected =
          (nll(new double[] {2, 0, -1}, 0) + nll(new double[] {5, 1, 1}, 2) + nll(new double[] {-3, 4, 0}, 1)) / 3;
      float loss =
          TokenCrossEntropy.mean(m.create(logits, new Shape(2, 2, 3)), m.create(labels, new Shape(2, 2)))
              .getFloat();
      assertEquals(expected, loss, 1e-5);
    }
  }

  private static double nll(double[] logits, int label) {
    double sum = 0;
    for (double l : logits) {
      sum += Math.exp(l);
    }
    return Math.log(sum) - logits[label];
  }
}
