package org.tuninglab.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tuninglab.peft.FullFineTune;
import org.tuninglab.score.NoGrad;
import org.tuninglab.score.TokenCrossEntropy;
import org.tuninglab.testing.TinyModelDir;

/**
 * The training path's gradients are the loss's: autograd against central finite differences for
 * the attention and MLP weights (and Qwen2 biases) of both layers of a small random decoder, on a sequence that
 * repeats itself (so attention to earlier positions matters to the loss). Checked when the
 * embedded models failed to learn in-context copying, to rule out a broken backward pass.
 */
class DecoderGradientTest {
  private static final double EPS = 1e-2;

  @Test
  void autogradMatchesFiniteDifferencesThroughAttentionAndMlp() throws Exception {
    try (LlamaModel model = LlamaModel.create(TinyModelDir.CONFIG,
            RandomWeights.everywhere(5, 0.05), Device.cpu(), DataType.FLOAT32);
        FullFineTune full = FullFineTune.apply(model);
        NDManager scope = model.manager().newSubManager()) {
      int half = 8;
      long[] ids = new long[2 * half];
      long[] labels = new long[2 * half];
      for (int t = 0; t < half; t++) {
        ids[t] = 20 + 29L * t % 200;
        ids[half + t] = ids[t];
      }
      for (int t = 0; t < 2 * half; t++) {
        labels[t] = t + 1 < 2 * half ? ids[t + 1] : TokenCrossEntropy.IGNORE;
      }
      NDArray input = scope.create(ids).reshape(1, 2 * half); // (B, T)
      NDArray target = scope.create(labels).reshape(1, 2 * half); // (B, T)
      Map<String, NDArray> weights = new LinkedHashMap<>();
      full.trainableArrays().forEach(a -> weights.put(a.name(), a.array()));
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.backward(TokenCrossEntropy.mean(full.logits(input, null), target));
      }
      int checked = 0;
      for (String name : weights.keySet()) {
        if (!name.contains("proj")) {
          continue;
        }
        NDArray w = weights.get(name);
        float[] grad = w.getGradient().toFloatArray();
        int largest = 0;
        for (int i = 1; i < grad.length; i++) {
          largest = Math.abs(grad[i]) > Math.abs(grad[largest]) ? i : largest;
        }
        float[] values = w.toFloatArray();
        float original = values[largest];
        double[] losses = new double[2];
        for (int side = 0; side < 2; side++) {
          values[largest] = (float) (original + (side == 0 ? EPS : -EPS));
          losses[side] = lossWith(w, values, full, input, target);
        }
        values[largest] = original;
        lossWith(w, values, full, input, target);
        double numeric = (losses[0] - losses[1]) / (2 * EPS);
        assertTrue(Math.abs(numeric) > 1e-4, name + ": the largest gradient is ~0, nothing checked");
        assertTrue(Math.abs(grad[largest] - numeric) <= 0.02 * Math.abs(numeric) + 1e-4,
            name + "[" + largest + "]: autograd " + grad[largest] + ", finite differences " + numeric);
        checked++;
      }
      assertTrue(checked == 20,
          checked + " checked, expected 7 projections and 3 biases (Qwen2) in each of 2 layers");
    }
  }

  private static double lossWith(
      NDArray w, float[] values, FullFineTune full, NDArray input, NDArray target) {
    try (NoGrad off = NoGrad.enter()) {
      w.set(values);
      return TokenCrossEntropy.mean(full.logits(input, null), target).getFloat();
    }
  }
}
