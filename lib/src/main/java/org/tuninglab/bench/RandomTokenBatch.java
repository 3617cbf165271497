package org.tuninglab.bench;

import java.util.Random;

/**
 * A batch of random token sequences for timing training steps, as model inputs and their
 * next-token labels (both {@code (B, T)} row-major).
 */
record RandomTokenBatch(long[] inputs, long[] labels) {

  static RandomTokenBatch next(Random random, int batch, int seqLen, int vocab) {
    long[] tokens = random.longs((long) batch * (seqLen + 1), 0, vocab).toArray();
    long[] inputs = new long[batch * seqLen];
    long[] labels = new long[batch * seqLen];
    for (int b = 0; b < batch; b++) {
      System.arraycopy(tokens, b * (seqLen + 1), inputs, b * seqLen, seqLen);
      System.arraycopy(tokens, b * (seqLen + 1) + 1, labels, b * seqLen, seqLen);
    }
    return new RandomTokenBatch(inputs, labels);
  }
}
