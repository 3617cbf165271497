package org.tuninglab.rag;

/** The vector arithmetic dense retrieval needs: unit length and dot products. */
final class Vectors {
  private Vectors() {}

  /** Scales {@code v} in place to unit length (a zero vector stays zero). */
  static float[] normalize(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    if (sum > 0) {
      float inv = (float) (1 / Math.sqrt(sum));
      for (int i = 0; i < v.length; i++) {
        v[i] *= inv;
      }
    }
    return v;
  }

  /** The dot product of {@code q} with row {@code row} of a flat row-major matrix. */
  static double dot(float[] q, float[] matrix, int row) {
    int base = row * q.length;
    double sum = 0;
    for (int i = 0; i < q.length; i++) {
      sum += q[i] * matrix[base + i];
    }
    return sum;
  }
}
