package org.tuninglab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.List;

/** A plain projection with a full-precision weight {@code (out, in)} and an optional bias. */
public final class DenseLinear implements LinearLayer {
  private final NDArray weight; // (out, in)
  private final NDArray bias; // (out) or null

  public DenseLinear(NDArray weight, NDArray bias) {
    if (weight.getShape().dimension() != 2) {
      throw new IllegalArgumentException("weight must be (out, in), got " + weight.getShape());
    }
    this.weight = weight;
    this.bias = bias;
  }

  @Override
  public NDArray forward(NDArray x) {
    return Linear.linear(x, weight, bias).singletonOrThrow();
  }

  @Override
  public int inFeatures() {
    return (int) weight.getShape().get(1);
  }

  @Override
  public int outFeatures() {
    return (int) weight.getShape().get(0);
  }

  public NDArray weight() {
    return weight;
  }

  public NDArray bias() {
    return bias;
  }

  @Override
  public List<NamedArray> arrays() {
    List<NamedArray> arrays = new ArrayList<>();
    arrays.add(new NamedArray("weight", weight));
    if (bias != null) {
      arrays.add(new NamedArray("bias", bias));
    }
    return arrays;
  }
}
