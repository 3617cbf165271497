package org.tuninglab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

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
  private NDArray sinTable; // (P, headDim)
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
    NDArray cos = cosTable.get(scope, new NDIndex("{}", flat)).reshape(out);
    NDArray sin = sinTable.get(scope, new NDIndex("{}", flat)).reshape(out);
    return new NDArray[] {cos, sin};
  }

  /** Rotates {@code x (B, T, heads, headDim)}. */
  NDArray apply(NDArray x, NDArray cos, NDArray sin) {
    int hd = config.headDim();
    NDArray rotated;
    if (config.ropeLayout() == RopeLayout.HALF_SPLIT) {
      NDArray first = x.get("..., :{}", hd / 2);
      NDArray second = x.get("..., {}:", hd / 2);
      rotated = second.neg().concat(first, -1);
    } else {
      Shape s = x.getShape();
      NDArray pairs = x.reshape(s.get(0), s.get(1), s.get(2), hd / 2, 2);
      NDArray even = pairs.get("..., 0");
      NDArray odd = pairs.get("..., 1");
      rotated = NDArrays.stack(new ai.djl.ndarray.NDList(odd.neg(), even), 4).reshape(s);
    }
    return x.mul(cos).add(rotated.mul(sin));
  }

  private void ensureLength(int needed) {
    if (needed <= tableLength) {
      return;
    }
    int length = Math.max(needed, Math.min(config.maxPositions(), 1 << 16));
    length = Math.max(length, 2 * tableLength);
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
        sin[p * hd + i] = (float) Math.sin(angle);
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
