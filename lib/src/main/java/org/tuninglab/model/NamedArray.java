package org.tuninglab.model;

import ai.djl.ndarray.NDArray;

/** A tensor and its name in the checkpoint (e.g. {@code model.layers.0.self_attn.q_proj.weight}). */
public record NamedArray(String name, NDArray array) {}
