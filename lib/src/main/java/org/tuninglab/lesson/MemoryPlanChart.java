package org.tuninglab.lesson;

import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.tuninglab.parallel.MemoryPlan;
import org.tuninglab.peft.ParameterReport;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Memory plans side by side: a stacked bar per plan and a table of the same figures. */
public final class MemoryPlanChart {
  private static final double GIB = 1L << 30;

  private MemoryPlanChart() {}

  /** One bar per plan, stacked weights / gradients / optimizer / activations / workspace, in GiB. */
  public static CategoryChart stacked(String title, List<String> labels, List<MemoryPlan> plans) {
    CategoryChart chart =
        new CategoryChartBuilder().width(640).height(360).title(title)
            .xAxisTitle("method").yAxisTitle("GiB per GPU").build();
    chart.getStyler().setStacked(true);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
    String[] parts = {"weights", "gradients", "optimizer", "activations", "workspace"};
    for (int i = 0; i < parts.length; i++) {
      List<Double> gib = new ArrayList<>();
      for (MemoryPlan p : plans) {
        long[] bytes = {p.weightsBytes(), p.gradientsBytes(), p.optimizerBytes(),
            p.activationsBytes(), p.workspaceBytes()};
        gib.add(Math.round(bytes[i] / GIB * 1000) / 1000.0);
      }
      chart.addSeries(parts[i], labels, gib);
    }
    return chart;
  }

  /** The plans' figures, one row per plan, with whether each fits and the largest micro-batch. */
  public static Table table(String title, List<String> labels, List<MemoryPlan> plans) {
    Table t = Table.create(title, StringColumn.create("method"), StringColumn.create("weights"),
        StringColumn.create("gradients"), StringColumn.create("optimizer"),
        StringColumn.create("activations"), StringColumn.create("workspace"),
        StringColumn.create("total"), StringColumn.create("GPU"), StringColumn.create("fits"),
        StringColumn.create("max micro-batch"));
    for (int i = 0; i < plans.size(); i++) {
      MemoryPlan p = plans.get(i);
      t.stringColumn(0).append(labels.get(i));
      t.stringColumn(1).append(ParameterReport.bytes(p.weightsBytes()));
      t.stringColumn(2).append(ParameterReport.bytes(p.gradientsBytes()));
      t.stringColumn(3).append(ParameterReport.bytes(p.optimizerBytes()));
      t.stringColumn(4).append(ParameterReport.bytes(p.activationsBytes()));
      t.stringColumn(5).append(ParameterReport.bytes(p.workspaceBytes()));
      t.stringColumn(6).append(ParameterReport.bytes(p.totalBytes()));
      t.stringColumn(7).append(p.gpu().name());
      t.stringColumn(8).append(p.fits() ? "yes" : "no");
      t.stringColumn(9).append(String.valueOf(p.maxMicroBatch()));
    }
    return t;
  }
}
