package org.tuninglab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values of every layer for the tokens seen so far, so that decoding one more token costs
 * one position's work instead of recomputing the whole prefix. Owns its arrays: close it when the
 * sequence is done.
 */
public final class KvCache implements AutoCloseable {
  private final NDManager manager;
  private final NDArray[] keys; // per layer (B, kvHeads, S, headDim)
  private final NDArray[] values; // per layer (B, kvHeads, S, headDim)
  private int length;

  KvCache(NDManager parent, int layers) {
    this.manager = parent.newSubManager();
    this.keys = new NDArray[layers];
    this.values = new NDArray[layers];
  }

  /** Positions already cached. */
  public int length() {
    return length;
  }

  /** Appends this step's keys/values {@code (B, kvHeads, t, headDim)}; returns the full ones. */
  NDArray[] append(int layer, NDArray k, NDArray v) {
    if (keys[layer] == null) {
      k.attach(manager);
      v.attach(manager);
      keys[layer] = k;
      values[layer] = v;
    } else {
      NDArray oldK = keys[layer];
      NDArray oldV = values[layer];
      keys[layer] = oldK.concat(k, 2);
      values[layer] = oldV.concat(v, 2);
      oldK.close();
      oldV.close();
    }
    return new NDArray[] {keys[layer], values[layer]};
  }

  /** Called once all layers have appended {@code t} positions. */
  void advance(int t) {
    length += t;
  }

  @Override
  public void close() {
    manager.close();
  }
}
