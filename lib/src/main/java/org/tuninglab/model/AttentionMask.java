package org.tuninglab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The causal mask and rotary positions for one forward pass, from an optional padding mask.
 *
 * <p>Positions count real tokens only, so a left-padded prompt gets the same positions as the
 * unpadded one. A key is visible to a query when it is not padding, not in the future, and (with
 * a sliding window) not too far in the past.
 *
 * @param additive {@code (B, 1, 1, T, S)} float32: 0 where visible, the lowest float elsewhere
 * @param positions {@code (B, T)} int64 rotary positions of the queries
 * @param maxPosition the largest entry of {@code positions}
 */
record AttentionMask(NDArray additive, NDArray positions, int maxPosition) {

  static AttentionMask build(
      NDManager manager, NDArray paddingMask, int batch, int past, int t, int slidingWindow) {
    int keys = past + t;
    long[] keep = new long[batch * keys];
    if (paddingMask == null) {
      java.util.Arrays.fill(keep, 1);
    } else {
      Shape shape = paddingMask.getShape();
      if (shape.dimension() != 2 || shape.get(0) != batch || shape.get(1) != keys) {
        throw new IllegalArgumentException(
            "attention mask must be (batch, past + new tokens) = (" + batch + ", " + keys
                + "), got " + shape);
      }
      keep = paddingMask.toType(DataType.INT64, false).toLongArray();
    }
    long[] positions = new long[batch * t];
    float[] additive = new float[batch * t * keys];
    int maxPosition = 0;
    for (int b = 0; b < batch; b++) {
      int seen = 0;
      int[] positionOfKey = new int[keys];
      for (int j = 0; j < keys; j++) {
        if (keep[b * keys + j] != 0) {
          seen++;
        }
        // Padding gets position 1 as in transformers' generate(); its rows are never read.
        positionOfKey[j] = keep[b * keys + j] != 0 ? seen - 1 : 1;
      }
      for (int i = 0; i < t; i++) {
        int query = past + i;
        int position = paddingMask == null ? query : positionOfKey[query];
        positions[b * t + i] = position;
        maxPosition = Math.max(maxPosition, position);
        for (int j = 0; j < keys; j++) {
          boolean visible =
              j <= query
                  && keep[b * keys + j] != 0
                  && (slidingWindow <= 0 || query - j < slidingWindow);
          additive[(b * t + i) * keys + j] = visible ? 0f : -Float.MAX_VALUE;
        }
      }
    }
    NDArray additiveArray = manager.create(additive, new Shape(batch, 1, 1, t, keys));
    NDArray positionArray = manager.create(positions, new Shape(batch, t));
    return new AttentionMask(additiveArray, positionArray, maxPosition);
  }
}
