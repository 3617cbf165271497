package org.tuninglab.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The median the training benchmarks report: the middle of the sorted values, the upper one of the
 * two middles for an even count, so it is always a step that was measured.
 */
final class UpperMedian {
  private UpperMedian() {}

  /** The upper median of {@code values} (left unsorted). */
  static double of(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    return sorted.get(sorted.size() / 2);
  }
}
