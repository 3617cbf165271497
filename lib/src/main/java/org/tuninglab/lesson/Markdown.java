package org.tuninglab.lesson;

/**
 * Text a notebook shows as Markdown (the display extension renders it as {@code text/markdown}),
 * for conclusions written from a run's own numbers.
 *
 * @param text Markdown source
 */
public record Markdown(String text) {

  /** A number as a sentence writes it: {@code 0.001}, {@code 0.1}, {@code 2}, never {@code 1e-3}. */
  static String plain(double value) {
    return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  @Override
  public String toString() {
    return text;
  }
}
