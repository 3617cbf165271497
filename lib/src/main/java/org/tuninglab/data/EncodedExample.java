package org.tuninglab.data;

import java.util.Objects;
import org.tuninglab.score.TokenCrossEntropy;

/**
 * One example as token ids, with which tokens are trained (the completion and its end-of-turn
 * token) and how many tokens truncation cut.
 *
 * @param ids the token ids, at most the collator's max length
 * @param trained for each token, whether the model learns to produce it
 * @param cutTokens how many tokens truncation removed from the end
 * @param origin where the example came from
 */
public record EncodedExample(int[] ids, boolean[] trained, int cutTokens, String origin) {

  /** Checks that ids and flags line up. */
  public EncodedExample {
    if (ids.length != trained.length) {
      throw new IllegalArgumentException(
          "ids and trained flags differ in length: " + ids.length + " vs " + trained.length);
    }
    Objects.requireNonNull(origin, "origin");
  }

  /**
   * Returns the sequence length.
   *
   * @return the number of tokens
   */
  public int length() {
    return ids.length;
  }

  /**
   * Returns how many tokens are trained.
   *
   * @return the count of trained tokens
   */
  public int trainedCount() {
    int n = 0;
    for (boolean t : trained) {
      n += t ? 1 : 0;
    }
    return n;
  }

  /**
   * Returns the next-token labels: {@code labels[t]} is the token at {@code t + 1} when that
   * token is trained, else {@link TokenCrossEntropy#IGNORE}; the last position has no next token.
   *
   * @return the shifted labels, one per token
   */
  public long[] labels() {
    long[] labels = new long[ids.length];
    for (int t = 0; t < ids.length; t++) {
      boolean next = t + 1 < ids.length && trained[t + 1];
      labels[t] = next ? ids[t + 1] : TokenCrossEntropy.IGNORE;
    }
    return labels;
  }
}
