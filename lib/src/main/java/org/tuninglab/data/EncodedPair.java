package org.tuninglab.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * A preference pair as token ids: the same prompt tokens (not trained) followed by each answer's
 * tokens with its end-of-turn token (trained, so their log-probabilities are summed).
 *
 * @param chosen the prompt and the preferred answer
 * @param rejected the prompt and the dispreferred answer
 */
public record EncodedPair(EncodedExample chosen, EncodedExample rejected) {

  /** Rejects nulls and a side with no answer token left after truncation. */
  public EncodedPair {
    Objects.requireNonNull(chosen, "chosen");
    Objects.requireNonNull(rejected, "rejected");
    if (chosen.trainedCount() == 0 || rejected.trainedCount() == 0) {
      throw new IllegalArgumentException(
          chosen.origin() + ": truncation left no answer token on the "
              + (chosen.trainedCount() == 0 ? "chosen" : "rejected") + " side");
    }
  }

  /** Where the pair came from. */
  public String origin() {
    return chosen.origin();
  }

  /**
   * Whether both sides hold the same tokens (a key for caching per-pair values such as reference
   * log-probabilities).
   *
   * @param other another pair
   * @return true if the ids and trained flags of both sides are equal
   */
  public boolean sameTokens(EncodedPair other) {
    return Arrays.equals(chosen.ids(), other.chosen.ids())
        && Arrays.equals(chosen.trained(), other.chosen.trained())
        && Arrays.equals(rejected.ids(), other.rejected.ids())
        && Arrays.equals(rejected.trained(), other.rejected.trained());
  }

  /** A hash consistent with {@link #sameTokens}. */
  public int tokensHash() {
    return Objects.hash(
        Arrays.hashCode(chosen.ids()),
        Arrays.hashCode(chosen.trained()),
        Arrays.hashCode(rejected.ids()),
        Arrays.hashCode(rejected.trained()));
  }
}
