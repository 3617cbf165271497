package org.tuninglab.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Which examples make up each batch of an epoch: a seeded shuffle per epoch, so the order depends
 * only on (seed, epoch) and a resumed run sees the batches a straight run would have.
 *
 * <p>With length grouping, the shuffled examples are cut into windows of {@value #GROUP_WINDOW}
 * batches, each window is sorted by length (less padding), and the batches are shuffled again.
 */
public final class BatchOrder {
  /** How many batches' worth of examples are sorted together when grouping by length. */
  public static final int GROUP_WINDOW = 50;

  private final int[] lengths;
  private final int batchSize;
  private final long seed;
  private final boolean groupByLength;

  /**
   * Creates the order.
   *
   * @param lengths the length of each example (only used when grouping)
   * @param batchSize examples per batch; the last batch of an epoch may be smaller
   * @param seed the shuffle seed
   * @param groupByLength whether to put examples of similar length together
   */
  public BatchOrder(int[] lengths, int batchSize, long seed, boolean groupByLength) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
    if (lengths.length == 0) {
      throw new IllegalArgumentException("no examples to batch");
    }
    this.lengths = lengths.clone();
    this.batchSize = batchSize;
    this.seed = seed;
    this.groupByLength = groupByLength;
  }

  /**
   * Returns the number of batches in an epoch.
   *
   * @return the batch count
   */
  public int batchesPerEpoch() {
    return (lengths.length + batchSize - 1) / batchSize;
  }

  /**
   * Returns an epoch's batches as lists of example indices.
   *
   * @param epoch the 0-based epoch
   * @return the batches in order
   */
  public List<List<Integer>> epoch(int epoch) {
    long epochSeed = seed * 0x9E3779B97F4A7C15L + epoch;
    List<Integer> order =
        Split.shuffled(IntStream.range(0, lengths.length).boxed().toList(), epochSeed);
    if (groupByLength) {
      List<Integer> grouped = new ArrayList<>();
      int window = batchSize * GROUP_WINDOW;
      for (int from = 0; from < order.size(); from += window) {
        List<Integer> part = new ArrayList<>(order.subList(from, Math.min(order.size(), from + window)));
        part.sort(Comparator.comparingInt((Integer i) -> lengths[i]).reversed());
        grouped.addAll(part);
      }
      order = grouped;
    }
    List<List<Integer>> batches = new ArrayList<>();
    for (int from = 0; from < order.size(); from += batchSize) {
      batches.add(List.copyOf(order.subList(from, Math.min(order.size(), from + batchSize))));
    }
    return groupByLength ? Split.shuffled(batches, ~epochSeed) : batches;
  }
}
