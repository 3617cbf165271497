package org.tuninglab.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * A projection {@code y = x W^T (+ b)} inside the decoder. Fine-tuning methods replace a model's
 * projections by name with their own implementations (LoRA on top, NF4-stored base, ...).
 */
public interface LinearLayer {

  /** {@code (..., inFeatures) -> (..., outFeatures)}. */
  NDArray forward(NDArray x);

  int inFeatures();

  int outFeatures();

  /** The arrays this layer owns, by their name relative to the module (e.g. "weight", "bias"). */
  List<NamedArray> arrays();
}
