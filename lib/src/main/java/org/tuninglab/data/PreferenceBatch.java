package org.tuninglab.data;

import java.util.List;

/**
 * Both sides of some preference pairs in one padded batch, so one forward pass scores them all:
 * rows {@code 0 .. pairs-1} hold the chosen answers, rows {@code pairs .. 2 pairs-1} the rejected
 * answers of the same pairs in the same order.
 *
 * @param rows the {@code (2 pairs, T)} ids, mask and labels; labels are -100 outside the answers
 * @param pairs how many pairs
 * @param origins where each pair came from, in row order
 */
public record PreferenceBatch(Batch rows, int pairs, List<String> origins) {

  /** Checks that the rows hold two sides of {@code pairs} pairs. */
  public PreferenceBatch {
    origins = List.copyOf(origins);
    if (rows.inputIds().getShape().get(0) != 2L * pairs || origins.size() != pairs) {
      throw new IllegalArgumentException(
          "a preference batch of " + pairs + " pairs needs " + 2 * pairs + " rows and "
              + pairs + " origins, got " + rows.inputIds().getShape().get(0) + " and " + origins.size());
    }
  }
}
