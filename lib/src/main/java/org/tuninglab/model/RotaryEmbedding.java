package org.tuninglab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;

/**
 * Rotary position embeddings: each pair of dimensions of a query or key head is rotated by an angle
 * proportional to the token's position. Tables of cos/sin are computed in double precision in Java
 * and grown on demand.
 */
final class RotaryEmbedding {
  private final ModelConfig config;
  private final NDManager manager;
  private final DataType dtype;
  private final double[] inverseFrequencies; // (headDim / 2)
  private NDArray cosTable; // (P, headDim)
  private NDArray sinTable; // (P, headDim), negated on the first member of each rotation pair
  private int tableLength;

  RotaryEmbedding(ModelConfig config, NDManager manager, DataType dtype) {
    this.config = config;
    this.manager = manager;
    this.dtype = dtype;
    int half = config.headDim() / 2;
    double[] inv = new double[half];
    for (int i = 0; i < half; i++) {
      // Computed in float32 like the reference implementations, so positions far out agree.
      inv[i] = (float) (1.0 / Math.pow(config.ropeTheta(), (2.0 * i) / config.headDim()));
    }
    this.inverseFrequencies = config.ropeScaling() == null ? inv : config.ropeScaling().scale(inv);
  }

  /** cos and sin for the given positions, each {@code (B, T, 1, headDim)} in the model dtype. */
  NDArray[] tables(NDArray positions, int maxPosition) {
    ensureLength(maxPosition + 1);
    Shape bt = positions.getShape(); // (B, T)
    NDManager scope = positions.getManager();
    NDArray flat = positions.reshape(-1);
    Shape out = new Shape(bt.get(0), bt.get(1), 1, config.headDim());
    // A row gather (embedding lookup) keyed by the positions; its result belongs to their manager.
    NDArray cos = Embedding.embedding(flat, cosTable, SparseFormat.DENSE).singletonOrThrow().reshape(out);
    NDArray sin = Embedding.embedding(flat, sinTable, SparseFormat.DENSE).singletonOrThrow().reshape(out);
    return new NDArray[] {cos, sin};
  }

  /** Rotates {@code x (B, T, heads, headDim)}. */
  NDArray apply(NDArray x, NDArray cos, NDArray sin) {
    int hd = config.headDim();
    NDArray rotated;
    if (config.ropeLayout() == RopeLayout.HALF_SPLIT) {
      NDList halves = x.split(new long[] {hd / 2}, 3); // (B, T, h, hd/2) twice
      rotated = halves.get(1).concat(halves.get(0), 3); // the sign of -x2 lives in the sin table
    } else {
      Shape s = x.getShape();
      NDArray pairs = x.reshape(s.get(0), s.get(1), s.get(2), hd / 2, 2);
      NDList evenOdd = pairs.split(2, 4); // (B, T, h, hd/2, 1) twice
      rotated = evenOdd.get(1).concat(evenOdd.get(0), 4).reshape(s); // sign in the sin table
    }
    return x.mul(cos).add(rotated.mul(sin));
  }

  private void ensureLength(int needed) {
    if (needed <= tableLength) {
      return;
    }
    int length = Math.max(Math.max(needed, 2 * tableLength), 512);
    int hd = config.headDim();
    float[] cos = new float[length * hd];
    float[] sin = new float[length * hd];
    boolean halfSplit = config.ropeLayout() == RopeLayout.HALF_SPLIT;
    for (int p = 0; p < length; p++) {
      for (int i = 0; i < hd; i++) {
        int f = halfSplit ? i % (hd / 2) : i / 2;
        // float32 product, matching how the angle is formed in the reference implementations.
        double angle = (float) p * (float) inverseFrequencies[f];
        cos[p * hd + i] = (float) Math.cos(angle);
        // Rotation pairs (a, b) -> (a cos - b sin, b cos + a sin): the first member of each pair
        // takes -sin, so apply() needs no negation.
        boolean first = halfSplit ? i < hd / 2 : i % 2 == 0;
        sin[p * hd + i] = (float) (first ? -Math.sin(angle) : Math.sin(angle));
      }
    }
    if (cosTable != null) {
      cosTable.close();
      sinTable.close();
    }
    cosTable = manager.create(cos, new Shape(length, hd)).toType(dtype, false);
    sinTable = manager.create(sin, new Shape(length, hd)).toType(dtype, false);
    tableLength = length;
  }
}
