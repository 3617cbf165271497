package org.tuninglab.lesson;

import java.util.List;
import java.util.stream.LongStream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.tuninglab.train.EvalReport;
import org.tuninglab.train.TrainingResult;

/**
 * A finished run's loss as a chart with axes: the loss of every update and the holdout loss at
 * each evaluation (the live view's sparkline has no axes, so a notebook ends a run with this).
 */
public final class LossCurve {
  private LossCurve() {}

  /**
   * The chart of one run.
   *
   * @param title the chart's title
   * @param training what the run did; its losses are numbered by update, the last one being
   *     {@code training.steps()} (so a resumed run's curve starts where this process did)
   * @return a 560 × 300 chart: "training batch" and, when the run evaluated, "holdout"
   * @throws IllegalArgumentException if the run did no update
   */
  public static XYChart of(String title, TrainingResult training) {
    List<Double> losses = training.losses();
    if (losses.isEmpty()) {
      throw new IllegalArgumentException("the run did no update, so there is no curve to draw: " + training.message());
    }
    long first = training.steps() - losses.size() + 1;
    XYChart chart = new XYChartBuilder().width(560).height(300).title(title)
        .xAxisTitle("update").yAxisTitle("loss per answer token").build();
    chart.addSeries("training batch", LongStream.range(first, first + losses.size()).asDoubleStream().toArray(),
        losses.stream().mapToDouble(Double::doubleValue).toArray());
    List<EvalReport> evals = training.evaluations();
    if (!evals.isEmpty()) {
      chart.addSeries("holdout", evals.stream().mapToDouble(EvalReport::step).toArray(),
          evals.stream().mapToDouble(EvalReport::loss).toArray());
    }
    return chart;
  }
}
