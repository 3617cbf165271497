package org.tuninglab.eval;

/** Which of two replies a {@link Judge} prefers. */
public enum Verdict {
  /** The first reply is better. */
  FIRST,
  /** The second reply is better. */
  SECOND,
  /** Neither is better; counts half a win for each. */
  TIE;

  /**
   * The points the first reply earns: 1 for a win, 0.5 for a tie, 0 for a loss.
   *
   * @return the first reply's points
   */
  public double firstPoints() {
    return switch (this) {
      case FIRST -> 1;
      case TIE -> 0.5;
      case SECOND -> 0;
    };
  }
}
