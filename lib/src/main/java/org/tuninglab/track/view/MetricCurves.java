package org.tuninglab.track.view;

import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.tuninglab.track.MetricPoint;
import org.tuninglab.track.RunRecord;
import org.tuninglab.track.TrackException;

/** One metric of several runs, overlaid against the step. */
public final class MetricCurves {

  private MetricCurves() {}

  /** A line per run that logged {@code metric}; runs that did not are left out. */
  public static XYChart chart(List<RunRecord> runs, String metric) {
    XYChart chart = new XYChartBuilder().width(800).height(450)
        .title(metric).xAxisTitle("step").yAxisTitle(metric).build();
    for (RunRecord r : runs) {
      List<MetricPoint> h = r.history(metric);
      if (h.isEmpty()) {
        continue;
      }
      double[] x = h.stream().mapToDouble(MetricPoint::step).toArray();
      double[] y = h.stream().mapToDouble(MetricPoint::value).toArray();
      chart.addSeries(r.name() + " (" + r.id() + ")", x, y);
    }
    if (chart.getSeriesMap().isEmpty()) {
      throw new TrackException("none of the " + runs.size() + " runs logged metric '" + metric + "'");
    }
    return chart;
  }
}
