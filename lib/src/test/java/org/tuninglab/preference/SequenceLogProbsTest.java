package org.tuninglab.preference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tuninglab.score.TokenCrossEntropy;

class SequenceLogProbsTest {
  private static final long IGNORE = TokenCrossEntropy.IGNORE;

  /** log softmax of one row of logits at one index, in double. */
  private static double logProb(float[] logits, int from, int vocab, int index) {
    double max = Double.NEGATIVE_INFINITY;
    for (int v = 0; v < vocab; v++) {
      max = Math.max(max, logits[from + v]);
    }
    double sum = 0;
    for (int v = 0; v < vocab; v++) {
      sum += Math.exp(logits[from + v] - max);
    }
    return logits[from + index] - max - Math.log(sum);
  }

  @Test
  void sumsLogProbabilitiesOverLabelledTokensOnly() {
    int n = 4;
    int t = 3;
    int v = 5;
    float[] logits = new float[n * t * v];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) Math.sin(i * 0.7) * 3;
    }
    // Rows: a two-token answer, a one-token answer after a prompt, three tokens, none.
    long[] labels = {1, 2, IGNORE, IGNORE, 3, IGNORE, 0, 4, 4, IGNORE, IGNORE, IGNORE};
    try (NDManager m = NDManager.newBaseManager()) {
      SequenceScores scores =
          SequenceLogProbs.of(m.create(logits, new Shape(n, t, v)), m.create(labels, new Shape(n, t)));
      float[] logps = scores.logps().toFloatArray();
      float[] tokens = scores.tokens().toFloatArray();
      for (int r = 0; r < n; r++) {
        double expected = 0;
        double logitSum = 0;
        int count = 0;
        for (int p = 0; p < t; p++) {
          long label = labels[r * t + p];
          if (label != IGNORE) {
            int from = (r * t + p) * v;
            expected += logProb(logits, from, v, (int) label);
            for (int k = 0; k < v; k++) {
              logitSum += logits[from + k];
            }
            count++;
          }
        }
        assertEquals(expected, logps[r], 1e-5, "row " + r);
        assertEquals(count, tokens[r]);
        assertEquals(count == 0 ? Double.NaN : logitSum / (count * v), scores.meanLogits()[r], 1e-5);
      }
      // Rows 0-1 as chosen, 2-3 as rejected.
      PairLogps pairs = scores.pairs(2);
      assertEquals(logps[1], pairs.chosen().toFloatArray()[1]);
      assertEquals(logps[2], pairs.rejected().toFloatArray()[0]);
      assertEquals(3, pairs.rejectedTokens().toFloatArray()[0]);
      // logits/chosen weights rows by their answer tokens, as TRL's mean over all answer positions.
      double weighted = (scores.meanLogits()[0] * 2 + scores.meanLogits()[1]) / 3;
      assertEquals(weighted, scores.meanLogit(0, 2), 1e-9);
    }
  }

  @Test
  void metricsCarryTrlNamesAndCountTiesHalf() {
    try (NDManager m = NDManager.newBaseManager()) {
      LossTerms terms =
          new LossTerms(
              m.create(new float[] {0.5f, 0.7f, 0.1f}),
              m.create(new float[] {0.3f, 0f, -0.2f}),
              m.create(new float[] {0.1f, 0f, 0.4f}));
      SequenceScores scores =
          new SequenceScores(
              m.create(new float[] {-1, -2, -3, -4, -5, -6}),
              m.create(new float[] {1, 1, 2, 1, 1, 1}),
              new double[] {1, 2, 3, 4, 5, 6});
      PreferenceMetrics metrics = PreferenceMetrics.of(terms, scores);
      Map<String, Double> map = metrics.asMap();
      assertEquals(PreferenceMetrics.NAMES, map.keySet().stream().toList());
      assertEquals(1.3 / 3, map.get("loss"), 1e-6);
      assertEquals(0.1 / 3, map.get("rewards/chosen"), 1e-6);
      assertEquals(0.5 / 3, map.get("rewards/rejected"), 1e-6);
      assertEquals(-0.4 / 3, map.get("rewards/margins"), 1e-6);
      assertEquals(1.5 / 3, map.get("rewards/accuracies"), 1e-9); // win, tie, loss
      assertEquals(-2, map.get("logps/chosen"), 1e-6);
      assertEquals(-5, map.get("logps/rejected"), 1e-6);
      assertEquals((1 + 2 + 3 * 2) / 4.0, map.get("logits/chosen"), 1e-9);
      assertEquals(5, map.get("logits/rejected"), 1e-9);
      assertEquals(0.5, metrics.asMap("eval_").get("eval_rewards/accuracies"), 1e-9);

      PreferenceMetrics other =
          new PreferenceMetrics(1, 0.1, 1, 0, 1, 1, -1, -2, 0, 0);
      PreferenceMetrics mean = PreferenceMetrics.mean(List.of(metrics, other));
      assertEquals(4, mean.pairs());
      assertEquals((1.5 + 1) / 4, mean.rewardsAccuracies(), 1e-9);
      assertEquals((1.3 + 0.1) / 4, mean.loss(), 1e-6);
    }
  }
}
