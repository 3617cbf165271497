package org.tuninglab.parallel;

import java.util.Locale;

/**
 * The dtype a plan's weights, activations and gradients are held in. Half precision is mixed
 * precision as {@link org.tuninglab.train.AdamW} does it: float32 master weights and moments, and
 * float32 RMSNorm, softmax and loss inside the model.
 */
public enum ComputeDtype {
  /** float32 throughout: the CPU default. */
  FP32(4),
  /** float16 with float32 masters: this project's GPU dtype. */
  FP16(2),
  /**
   * bfloat16 with float32 masters: the same bytes as float16. Planned only; DJL's PyTorch JNI
   * aborts on bfloat16 arrays, so this project trains in float16 instead.
   */
  BF16(2);

  private final int bytes;

  ComputeDtype(int bytes) {
    this.bytes = bytes;
  }

  /** Bytes per value. */
  public int bytes() {
    return bytes;
  }

  /** Whether the model dtype is narrower than float32 (casts and master weights appear). */
  public boolean isHalf() {
    return bytes < 4;
  }

  /** The lower-case name, as the CLI spells it. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses fp32, fp16 or bf16 (case-insensitive). */
  public static ComputeDtype parse(String text) {
    for (ComputeDtype d : values()) {
      if (d.label().equalsIgnoreCase(text.trim())) {
        return d;
      }
    }
    throw new IllegalArgumentException("--dtype must be fp32, fp16 or bf16, got '" + text + "'");
  }
}
