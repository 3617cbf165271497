package org.tuninglab.model;

/**
 * Moves q/k projection rows between the interleaved rotary layout (pairs 2i, 2i+1) and Hugging
 * Face's half-split layout (pairs i, i + headDim/2). Rotating permuted rows in the other layout
 * gives exactly the same attention scores.
 */
final class RopePermutation {
  private RopePermutation() {}

  /** Rows of {@code weight (heads * headDim, in)} reordered from interleaved to half-split. */
  static float[] interleavedToHalfSplit(float[] weight, int heads, int headDim, int in) {
    float[] out = new float[weight.length];
    for (int h = 0; h < heads; h++) {
      for (int i = 0; i < headDim / 2; i++) {
        for (int half = 0; half < 2; half++) {
          int from = h * headDim + 2 * i + half;
          int to = h * headDim + half * (headDim / 2) + i;
          System.arraycopy(weight, from * in, out, to * in, in);
        }
      }
    }
    return out;
  }
}
