package org.tuninglab.eval.view;

import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.tuninglab.eval.EvalResult;
import org.tuninglab.eval.Metric;

/** An evaluation's metrics per strategy as a bar chart. */
public final class MetricsChart {
  private MetricsChart() {}

  /**
   * A bar chart of metrics per strategy: strategies on the x axis, a series per metric. Pick
   * metrics on one scale (rates with rates; perplexity alone).
   *
   * @param result the evaluation
   * @param metricNames the metrics to show; none means all
   * @return the chart
   * @throws IllegalArgumentException if a metric is unknown
   */
  public static CategoryChart of(EvalResult result, String... metricNames) {
    List<String> names =
        metricNames.length == 0
            ? result.metrics().stream().map(Metric::name).toList()
            : List.of(metricNames);
    if (names.isEmpty()) {
      throw new IllegalArgumentException("the run has no metrics to chart");
    }
    List<String> strategies = result.strategies();
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(800)
            .height(450)
            .title(String.join(", ", names))
            .xAxisTitle("strategy")
            .yAxisTitle(names.size() == 1 ? names.get(0) : "value")
            .build();
    for (String name : names) {
      List<Double> values = new ArrayList<>();
      for (String s : strategies) {
        double v = result.value(s, name);
        values.add(Double.isNaN(v) ? null : v);
      }
      chart.addSeries(name, strategies, values);
    }
    return chart;
  }
}
