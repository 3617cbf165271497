package org.tuninglab.lesson;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.tuninglab.parallel.MemoryPlan;

/**
 * The conclusions notebook 07 draws, written from its run's numbers: what the batch-size grid
 * measured and what the memory planner says fits.
 */
public final class EfficiencyConclusion {
  private static final double GIB = 1L << 30;

  private EfficiencyConclusion() {}

  /**
   * Throughput, the holdout loss reached on the same tokens, and the planned memory, fastest and
   * slowest cell against each other.
   *
   * @param study the grid's result
   * @return three sentences with this run's numbers
   * @throws IllegalArgumentException if the grid has no cell
   */
  public static Markdown batch(BatchSizeStudy.Result study) {
    List<BatchSizeStudy.Cell> cells = study.cells();
    if (cells.isEmpty()) {
      throw new IllegalArgumentException("the batch-size study has no cells: give it micro-batches and accumulations");
    }
    BatchSizeStudy.Cell fastest = cells.stream().max(Comparator.comparingDouble(BatchSizeStudy.Cell::tokensPerSecond)).get();
    BatchSizeStudy.Cell slowest = cells.stream().min(Comparator.comparingDouble(BatchSizeStudy.Cell::tokensPerSecond)).get();
    BatchSizeStudy.Cell best = cells.stream().min(Comparator.comparingDouble(BatchSizeStudy.Cell::holdoutLoss)).get();
    BatchSizeStudy.Cell worst = cells.stream().max(Comparator.comparingDouble(BatchSizeStudy.Cell::holdoutLoss)).get();
    BatchSizeStudy.Cell smallest = cells.stream().min(Comparator.comparingInt(BatchSizeStudy.Cell::microBatch)).get();
    BatchSizeStudy.Cell largest = cells.stream().max(Comparator.comparingInt(BatchSizeStudy.Cell::microBatch)).get();
    return new Markdown(String.format(Locale.ROOT,
        "**In this run** b x k = %s processed %,.0f tokens/s and %s %,.0f tokens/s (%.1f×). On the same"
            + " tokens, %s (%d updates) reached holdout loss %.3f and %s (%d updates) %.3f. The planner's"
            + " peak for a micro-batch of %d is %,.0f MB%s, for %d %,.0f MB%s.",
        fastest.label(), fastest.tokensPerSecond(), slowest.label(), slowest.tokensPerSecond(),
        fastest.tokensPerSecond() / slowest.tokensPerSecond(), best.label(), best.updates(), best.holdoutLoss(),
        worst.label(), worst.updates(), worst.holdoutLoss(), smallest.microBatch(), smallest.plannedPeakBytes() / 1e6,
        measured(smallest), largest.microBatch(), largest.plannedPeakBytes() / 1e6, measured(largest)));
  }

  // The study measures a cell's peak in a JVM of its own; -1 where it ran in the caller's JVM, unmeasured.
  private static String measured(BatchSizeStudy.Cell cell) {
    return cell.measuredPeakBytes() >= 0
        ? String.format(Locale.ROOT, " (measured %,.0f MB)", cell.measuredPeakBytes() / 1e6)
        : "";
  }

  /**
   * Each method's planned memory against the GPU and the largest micro-batch that fits.
   *
   * @param labels the methods' names, in the order of {@code plans}
   * @param plans the planner's answers
   * @return one sentence per method
   * @throws IllegalArgumentException if the lists differ in length or are empty
   */
  public static Markdown plan(List<String> labels, List<MemoryPlan> plans) {
    if (plans.isEmpty() || labels.size() != plans.size()) {
      throw new IllegalArgumentException("expected one label per plan, got " + labels.size() + " labels for "
          + plans.size() + " plans");
    }
    StringBuilder md = new StringBuilder("**In this plan**");
    for (int i = 0; i < plans.size(); i++) {
      MemoryPlan p = plans.get(i);
      md.append(String.format(Locale.ROOT, " %s needs %.1f GiB and %s; the largest micro-batch that fits is %d.",
          labels.get(i), p.totalBytes() / GIB, p.fits() ? "fits" : "does not fit", p.maxMicroBatch()));
    }
    return new Markdown(md.toString());
  }
}
