package org.tuninglab.model;

/** Which dimensions of a head the rotary embedding rotates together. */
public enum RopeLayout {
  /** Hugging Face: dimension i pairs with i + headDim/2 ("rotate_half"). */
  HALF_SPLIT,
  /** Meta's original and llama2.c: dimension 2i pairs with 2i + 1. */
  INTERLEAVED
}
