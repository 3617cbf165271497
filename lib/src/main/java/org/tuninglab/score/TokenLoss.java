package org.tuninglab.score;

/**
 * A mean next-token loss and how many tokens it averages.
 *
 * @param mean the summed loss divided by the token count
 * @param tokens the trained tokens scored
 */
public record TokenLoss(double mean, long tokens) {

  /**
   * Returns the perplexity.
   *
   * @return {@code exp(mean)}
   */
  public double perplexity() {
    return Math.exp(mean);
  }
}
