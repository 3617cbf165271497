package org.tuninglab.peft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.List;
import org.tuninglab.model.DenseLinear;
import org.tuninglab.model.LinearLayer;
import org.tuninglab.model.NamedArray;

/** A frozen projection whose weight is stored as NF4 and rebuilt in the input's dtype per call. */
public final class Nf4Linear implements LinearLayer {
  private final Nf4Tensor weight; // stands for (out, in)
  private final NDArray bias; // (out) or null

  private Nf4Linear(Nf4Tensor weight, NDArray bias) {
    this.weight = weight;
    this.bias = bias;
  }

  /** Quantises a dense projection; its bias stays in full precision, as in bitsandbytes. */
  public static Nf4Linear quantize(DenseLinear dense, NDManager manager) {
    NDArray bias = null;
    if (dense.bias() != null) {
      bias = dense.bias().duplicate();
      bias.attach(manager);
    }
    return new Nf4Linear(Nf4Tensor.quantize(dense.weight(), manager), bias);
  }

  /**
   * Rebuilds the weight in a manager of its own and frees its unpacking arrays (the int32 bytes,
   * nibbles, int64 codes, ...: 24 bytes a value) at once; only the rebuilt weight joins the
   * input's manager, because autograd saves it for the input's gradient until backward.
   */
  @Override
  public NDArray forward(NDArray x) {
    NDArray w;
    try (NDManager unpacking = x.getManager().newSubManager()) {
      w = weight.dequantize(unpacking, x.getDataType()); // (out, in)
      w.attach(x.getManager());
    }
    return Linear.linear(x, w, bias).singletonOrThrow(); // (..., out)
  }

  public Nf4Tensor weight() {
    return weight;
  }

  @Override
  public int inFeatures() {
    return (int) weight.shape().get(1);
  }

  @Override
  public int outFeatures() {
    return (int) weight.shape().get(0);
  }

  @Override
  public List<NamedArray> arrays() {
    List<NamedArray> arrays = new ArrayList<>(weight.arrays());
    if (bias != null) {
      arrays.add(new NamedArray("bias", bias));
    }
    return arrays;
  }
}
