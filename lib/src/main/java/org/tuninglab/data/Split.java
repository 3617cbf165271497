package org.tuninglab.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A train/holdout split. Random splits use a Java-only shuffle seeded by the caller, so the same
 * seed gives the same split on every machine (unlike an unseeded shuffle, losses stay comparable
 * across notebooks and runs).
 *
 * @param train the examples to train on
 * @param holdout the examples to evaluate on
 * @param <T> the example type
 */
public record Split<T>(List<T> train, List<T> holdout) {

  /** Copies the lists. */
  public Split {
    train = List.copyOf(train);
    holdout = List.copyOf(holdout);
  }

  /**
   * Shuffles with a seed and holds out a number of examples.
   *
   * @param examples the examples
   * @param holdoutCount how many go to the holdout, in {@code [0, size]}
   * @param seed the shuffle seed
   * @param <T> the example type
   * @return the split; both parts keep the shuffled order
   */
  public static <T> Split<T> random(List<T> examples, int holdoutCount, long seed) {
    if (holdoutCount < 0 || holdoutCount > examples.size()) {
      throw new IllegalArgumentException(
          "holdoutCount must be in [0, " + examples.size() + "], got " + holdoutCount);
    }
    List<T> shuffled = shuffled(examples, seed);
    int cut = examples.size() - holdoutCount;
    return new Split<>(shuffled.subList(0, cut), shuffled.subList(cut, shuffled.size()));
  }

  /**
   * Shuffles with a seed and holds out a fraction of the examples (rounded to the nearest count).
   *
   * @param examples the examples
   * @param holdoutFraction the fraction in {@code [0, 1]}
   * @param seed the shuffle seed
   * @param <T> the example type
   * @return the split
   */
  public static <T> Split<T> random(List<T> examples, double holdoutFraction, long seed) {
    if (!(holdoutFraction >= 0 && holdoutFraction <= 1)) {
      throw new IllegalArgumentException("holdoutFraction must be in [0, 1], got " + holdoutFraction);
    }
    return random(examples, (int) Math.round(holdoutFraction * examples.size()), seed);
  }

  /**
   * Holds out the examples whose field has one of the given values, for out-of-distribution
   * evaluation (for example train on algebra, evaluate on geometry).
   *
   * @param examples the examples, in order
   * @param field the field name
   * @param holdoutValues the values that go to the holdout
   * @return the split, keeping file order
   * @throws IllegalArgumentException if an example lacks the field
   */
  public static Split<Example> byField(List<Example> examples, String field, Set<String> holdoutValues) {
    List<Example> train = new ArrayList<>();
    List<Example> holdout = new ArrayList<>();
    for (Example e : examples) {
      String value = e.fields().get(field);
      if (value == null) {
        throw new IllegalArgumentException(
            e.origin() + ": no field \"" + field + "\" to split by; it has " + e.fields().keySet());
      }
      (holdoutValues.contains(value) ? holdout : train).add(e);
    }
    return new Split<>(train, holdout);
  }

  /**
   * A Fisher-Yates shuffle driven by {@link SplittableRandom}, whose sequence is fixed by its
   * specification.
   *
   * @param items the items
   * @param seed the seed
   * @param <T> the item type
   * @return a shuffled copy
   */
  public static <T> List<T> shuffled(List<T> items, long seed) {
    List<T> copy = new ArrayList<>(items);
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = copy.size() - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      T t = copy.get(i);
      copy.set(i, copy.get(j));
      copy.set(j, t);
    }
    return copy;
  }
}
