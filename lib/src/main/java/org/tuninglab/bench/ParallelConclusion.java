package org.tuninglab.bench;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.tuninglab.lesson.Markdown;
import org.tuninglab.parallel.Link;

/**
 * What notebook 07's parallel sections conclude, written from the run's numbers: how close the
 * measured strategies came to one device's gradients, which strategy the cost model puts first
 * and last on the largest cluster over each link, and the memory each needs per GPU there.
 */
public final class ParallelConclusion {
  private static final double GIB = 1L << 30;

  private ParallelConclusion() {}

  /**
   * The conclusion of a measurement and its projections.
   *
   * @param measured the strategies measured on this machine's devices
   * @param projected {@link ParallelBenchmark#project}'s rows, for one or more links
   * @return one sentence for the measurement, one per link, one for memory
   */
  public static Markdown of(ParallelBenchmark.Result measured, List<ParallelBenchmark.Projected> projected) {
    double maxError = measured.rows().stream().mapToDouble(ParallelBenchmark.Measured::gradientError).max()
        .orElseThrow(() -> new IllegalArgumentException("no strategy was measured"));
    return of(maxError, projected);
  }

  static Markdown of(double maxGradientError, List<ParallelBenchmark.Projected> projected) {
    List<StepProjection> full = projected.stream().filter(p -> p.method().equals("full"))
        .map(ParallelBenchmark.Projected::projection).toList();
    if (full.isEmpty()) {
      throw new IllegalArgumentException("no full fine-tune projection to conclude from");
    }
    int devices = full.stream().mapToInt(StepProjection::devices).max().getAsInt();
    List<StepProjection> largest = full.stream().filter(p -> p.devices() == devices).toList();
    String gpu = devices + " x " + largest.get(0).device();
    StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
        "**In this run** all three strategies gave one device's gradients to within %.1e of the largest gradient.",
        maxGradientError));
    for (Link link : Link.values()) {
      List<StepProjection> rows = largest.stream().filter(p -> p.link().equals(link.label())).toList();
      if (rows.isEmpty()) {
        continue;
      }
      StepProjection fast = rows.stream().min(Comparator.comparingDouble(StepProjection::stepSeconds)).get();
      StepProjection slow = rows.stream().max(Comparator.comparingDouble(StepProjection::stepSeconds)).get();
      md.append(String.format(Locale.ROOT, " On %s over %s, a full fine-tune's step is fastest %s parallel (%.3g ms)"
              + " and slowest %s parallel (%.3g ms).", gpu, link.label(), fast.strategy().label(),
          fast.stepSeconds() * 1e3, slow.strategy().label(), slow.stepSeconds() * 1e3));
    }
    StepProjection least = largest.stream().min(Comparator.comparingLong(StepProjection::memoryPerDevice)).get();
    StepProjection most = largest.stream().max(Comparator.comparingLong(StepProjection::memoryPerDevice)).get();
    md.append(String.format(Locale.ROOT, " Memory per GPU there: %s parallel needs %.1f GiB, %s parallel %.1f GiB.",
        least.strategy().label(), least.memoryPerDevice() / GIB, most.strategy().label(), most.memoryPerDevice() / GIB));
    return new Markdown(md.toString());
  }
}
