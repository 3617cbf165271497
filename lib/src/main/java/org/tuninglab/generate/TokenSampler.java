package org.tuninglab.generate;

import java.util.Arrays;
import java.util.Random;

/**
 * Picks the next token from one row of logits: argmax when the temperature is 0, otherwise a draw
 * after temperature scaling, top-k and top-p filtering (in that order, as transformers does).
 */
public final class TokenSampler {
  private final GenerationConfig config;
  private final Random random;

  public TokenSampler(GenerationConfig config) {
    this.config = config;
    this.random = new Random(config.seed());
  }

  public int next(float[] logits, int offset, int vocab) {
    if (config.temperature() == 0) {
      return argmax(logits, offset, vocab);
    }
    Integer[] order = new Integer[vocab];
    for (int i = 0; i < vocab; i++) {
      order[i] = i;
    }
    // Stable order for ties keeps draws identical across JVMs.
    Arrays.sort(order, (a, b) -> Float.compare(logits[offset + b], logits[offset + a]));
    int keep = config.topK() > 0 ? Math.min(config.topK(), vocab) : vocab;
    double max = logits[offset + order[0]] / config.temperature();
    double[] probs = new double[keep];
    double sum = 0;
    for (int i = 0; i < keep; i++) {
      probs[i] = Math.exp(logits[offset + order[i]] / config.temperature() - max);
      sum += probs[i];
    }
    if (config.topP() < 1) {
      double cumulative = 0;
      int cut = keep;
      for (int i = 0; i < keep; i++) {
        cumulative += probs[i] / sum;
        if (cumulative >= config.topP()) {
          cut = i + 1;
          break;
        }
      }
      keep = cut;
      sum = 0;
      for (int i = 0; i < keep; i++) {
        sum += probs[i];
      }
    }
    double u = random.nextDouble() * sum;
    for (int i = 0; i < keep; i++) {
      u -= probs[i];
      if (u <= 0) {
        return order[i];
      }
    }
    return order[keep - 1];
  }

  static int argmax(float[] logits, int offset, int vocab) {
    int best = 0;
    for (int i = 1; i < vocab; i++) {
      if (logits[offset + i] > logits[offset + best]) {
        best = i;
      }
    }
    return best;
  }
}
