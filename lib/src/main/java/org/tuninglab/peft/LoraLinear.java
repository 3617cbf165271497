package org.tuninglab.peft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.List;
import org.tuninglab.model.DenseLinear;
import org.tuninglab.model.LinearLayer;
import org.tuninglab.model.NamedArray;
import org.tuninglab.model.OwnedScalar;

/**
 * A frozen projection plus a trainable low-rank update: {@code base(x) + s B A dropout(x)}.
 *
 * <p>Merging adds {@code s B A} into a dense base weight in place, so inference costs nothing
 * extra; unmerging subtracts the same product again.
 */
public final class LoraLinear implements LinearLayer {
  private final LinearLayer base;
  private final NDArray loraA; // (r, in)
  private final NDArray loraB; // (out, r)
  private final float scaling;
  private final NDArray scale; // scaling as an OwnedScalar in A's manager; null when it is 1
  private final float dropout;
  private boolean enabled = true;
  private boolean merged;
  private boolean training;

  LoraLinear(LinearLayer base, NDArray loraA, NDArray loraB, double scaling, double dropout) {
    this.base = base;
    this.loraA = loraA;
    this.loraB = loraB;
    this.scaling = (float) scaling;
    this.scale = this.scaling == 1f ? null : OwnedScalar.of(loraA.getManager(), this.scaling);
    this.dropout = (float) dropout;
  }

  @Override
  public NDArray forward(NDArray x) {
    NDArray y = base.forward(x); // (..., out)
    if (!enabled || merged) {
      return y;
    }
    NDArray h = training && dropout > 0 ? dropout(x) : x; // (..., in)
    NDArray down = Linear.linear(h, loraA).singletonOrThrow(); // (..., r)
    // The scale goes on the r-wide intermediate rather than the out-wide update: the same product
    // for an op r/out the size, forward and backward.
    if (scale != null) {
      down = down.mul(scale);
    }
    return y.add(Linear.linear(down, loraB).singletonOrThrow()); // (..., out)
  }

  /** Inverted dropout from the engine's seeded generator; the mask lives in x's manager. */
  private NDArray dropout(NDArray x) {
    // The mask carries the 1 / (1 - p) rescaling: one multiply on x (and in backward), not two.
    NDArray keep =
        x.getManager()
            .randomUniform(0f, 1f, x.getShape(), DataType.FLOAT32)
            .gte(dropout)
            .toType(x.getDataType(), false)
            .muli(1 / (1 - dropout)); // (..., in)
    return x.mul(keep);
  }

  /** The frozen projection underneath. */
  public LinearLayer base() {
    return base;
  }

  public NDArray loraA() {
    return loraA;
  }

  public NDArray loraB() {
    return loraB;
  }

  public boolean isMerged() {
    return merged;
  }

  void setEnabled(boolean value) {
    enabled = value;
  }

  void setTraining(boolean value) {
    training = value;
  }

  /** Adds {@code s B A} into the base weight; only a dense base can hold it. */
  void merge(String path) {
    if (!merged) {
      applyDelta(denseWeight(path), 1);
      merged = true;
    }
  }

  /** Subtracts the product {@link #merge} added (equal up to float rounding). */
  void unmerge(String path) {
    if (merged) {
      applyDelta(denseWeight(path), -1);
      merged = false;
    }
  }

  private void applyDelta(NDArray weight, int sign) {
    // Temporaries belong to B's manager (the adapter's): close them rather than let them pile up.
    try (NDArray product = loraB.matMul(loraA); // (out, in)
        NDArray delta = product.mul(sign * scaling)) {
      weight.addi(delta.toType(weight.getDataType(), false));
    }
  }

  private NDArray denseWeight(String path) {
    if (!(base instanceof DenseLinear dense)) {
      throw new IllegalStateException(
          path
              + ": cannot merge LoRA into a "
              + base.getClass().getSimpleName()
              + " base (only a dense weight can hold the update)");
    }
    return dense.weight();
  }

  @Override
  public int inFeatures() {
    return base.inFeatures();
  }

  @Override
  public int outFeatures() {
    return base.outFeatures();
  }

  /** The base's arrays, then {@code lora_A.weight} and {@code lora_B.weight}. */
  @Override
  public List<NamedArray> arrays() {
    List<NamedArray> arrays = new ArrayList<>(base.arrays());
    arrays.add(new NamedArray("lora_A.weight", loraA));
    arrays.add(new NamedArray("lora_B.weight", loraB));
    return arrays;
  }
}
