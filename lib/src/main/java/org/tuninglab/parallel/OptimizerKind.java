package org.tuninglab.parallel;

import java.util.Locale;

/**
 * The optimizer a plan assumes: its float32 state per trainable value, and the float32
 * temporaries its update holds per value of the parameter it is updating.
 */
public enum OptimizerKind {
  /**
   * {@link org.tuninglab.train.AdamW}: two moments; its update allocates {@code g(1-b1)}, {@code
   * g^2}, {@code sqrt(v)} and {@code m / denom} for a parameter inside a scope of its own, so four
   * temporaries the size of the largest trainable tensor are the most alive at once.
   */
  ADAMW(2, 4),
  /** Plain SGD without momentum (planned only; the trainer has AdamW): no state, {@code lr g}. */
  SGD(0, 1);

  private final int states;
  private final int temporaries;

  OptimizerKind(int states, int temporaries) {
    this.states = states;
    this.temporaries = temporaries;
  }

  /** float32 state arrays per trainable value. */
  public int states() {
    return states;
  }

  /** float32 temporaries, each the size of the parameter being updated, the update holds at once. */
  public int temporaries() {
    return temporaries;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses adamw or sgd (case-insensitive). */
  public static OptimizerKind parse(String text) {
    for (OptimizerKind o : values()) {
      if (o.label().equalsIgnoreCase(text.trim())) {
        return o;
      }
    }
    throw new IllegalArgumentException("--optimizer must be adamw or sgd, got '" + text + "'");
  }
}
