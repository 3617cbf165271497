package org.tuninglab.eval;

import java.util.Locale;

/**
 * How one system fared against another, example by example, under a {@link Judge}.
 *
 * @param first the first system (the one whose wins are counted)
 * @param second the system it is compared with
 * @param wins examples where the first system's reply was judged better
 * @param ties examples judged even
 * @param losses examples where the second system's reply was judged better
 * @param skipped examples left out because either system failed on them
 */
public record WinRate(String first, String second, int wins, int ties, int losses, int skipped) {

  /** Rejects negative counts. */
  public WinRate {
    if (wins < 0 || ties < 0 || losses < 0 || skipped < 0) {
      throw new IllegalArgumentException("counts must be >= 0");
    }
  }

  /**
   * The compared examples.
   *
   * @return wins + ties + losses
   */
  public int compared() {
    return wins + ties + losses;
  }

  /**
   * The win rate, ties counting half.
   *
   * @return {@code (wins + ties / 2) / compared}, NaN when nothing was compared
   */
  public double rate() {
    return compared() == 0 ? Double.NaN : (wins + ties / 2.0) / compared();
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "%s vs %s: %d wins, %d ties, %d losses (win rate %.3f, %d skipped)",
        first,
        second,
        wins,
        ties,
        losses,
        rate(),
        skipped);
  }
}
