package org.tuninglab.data;

import java.util.List;

/**
 * Both sides of some preference pairs in one padded batch, so one forward pass scores them all:
 * rows {@code 0 .. B-1} hold the chosen answers, rows {@code B .. 2B-1} the rejected answers of the
 * same pairs in the same order.
 *
 * @param rows the {@code (2B, T)} ids, mask and labels; labels are -100 outside the answers
 * @param pairs the {@code B} encoded pairs, in row order (to look up per-pair values such as
 *     precomputed reference log-probabilities)
 */
public record PreferenceBatch(Batch rows, List<EncodedPair> pairs) {

  /** Checks that the rows hold two sides of the pairs. */
  public PreferenceBatch {
    pairs = List.copyOf(pairs);
    if (rows.inputIds().getShape().get(0) != 2L * pairs.size()) {
      throw new IllegalArgumentException(
          "a preference batch of " + pairs.size() + " pairs needs " + 2 * pairs.size()
              + " rows, got " + rows.inputIds().getShape().get(0));
    }
  }

  /** The number of pairs, {@code B}. */
  public int size() {
    return pairs.size();
  }

  /** Where each pair came from, in row order. */
  public List<String> origins() {
    return pairs.stream().map(EncodedPair::origin).toList();
  }
}
