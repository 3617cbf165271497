package org.tuninglab.track.view;

import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.tuninglab.track.RunRecord;
import org.tuninglab.track.TrackException;

/** A hyperparameter against the target metric, one point per run (log x-axis for wide ranges). */
public final class ParamScatter {

  private ParamScatter() {}

  public static XYChart chart(List<RunRecord> runs, String param, String metric) {
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (RunRecord r : runs) {
      Object x = Flatten.of(r.config()).get(param);
      var y = r.value(metric);
      if (x instanceof Number n && y.isPresent() && Double.isFinite(y.getAsDouble())) {
        xs.add(n.doubleValue());
        ys.add(y.getAsDouble());
      }
    }
    if (xs.isEmpty()) {
      throw new TrackException("no run has both config '" + param + "' (numeric) and metric '" + metric + "'");
    }
    XYChart chart = new XYChartBuilder().width(600).height(400)
        .title(metric + " vs " + param).xAxisTitle(param).yAxisTitle(metric).build();
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    double min = xs.stream().mapToDouble(Double::doubleValue).min().orElse(1);
    double max = xs.stream().mapToDouble(Double::doubleValue).max().orElse(1);
    chart.getStyler().setXAxisLogarithmic(min > 0 && max / min >= 100);
    chart.addSeries(metric, xs, ys);
    return chart;
  }
}
