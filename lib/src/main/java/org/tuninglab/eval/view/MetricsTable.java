package org.tuninglab.eval.view;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.tuninglab.eval.EvalResult;
import org.tuninglab.eval.ExampleReply;
import org.tuninglab.eval.Metric;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** An evaluation's metrics per strategy, and per category and strategy. */
public final class MetricsTable {
  private MetricsTable() {}

  /**
   * The metrics table: a row per strategy; columns {@code strategy}, {@code examples}, {@code
   * failed}, one per metric, then the means over answered examples of {@code latency_ms}, {@code
   * prompt_tokens} and {@code completion_tokens}.
   *
   * @param result the evaluation
   * @return the table, named "metrics"
   */
  public static Table of(EvalResult result) {
    Table t = Table.create("metrics", StringColumn.create("strategy", result.strategies()));
    addCounts(
        result,
        t,
        result.strategies().stream()
            .map(s -> (Predicate<ExampleReply>) r -> r.strategy().equals(s))
            .toList());
    return t;
  }

  /**
   * The per-category breakdown: a row per category and strategy (categories in order of first
   * appearance, {@value EvalResult#NO_CATEGORY} for examples without one), with the columns of
   * {@link #of} after {@code category}.
   *
   * @param result the evaluation
   * @return the table, named "metrics by category"
   */
  public static Table byCategory(EvalResult result) {
    Set<String> categories = new LinkedHashSet<>();
    result.examples().forEach(e -> categories.add(EvalResult.categoryOf(e)));
    List<String> categoryCol = new ArrayList<>();
    List<String> strategyCol = new ArrayList<>();
    List<Predicate<ExampleReply>> rows = new ArrayList<>();
    for (String c : categories) {
      for (String s : result.strategies()) {
        categoryCol.add(c);
        strategyCol.add(s);
        rows.add(r -> r.strategy().equals(s) && EvalResult.categoryOf(r.example()).equals(c));
      }
    }
    Table t =
        Table.create(
            "metrics by category",
            StringColumn.create("category", categoryCol),
            StringColumn.create("strategy", strategyCol));
    addCounts(result, t, rows);
    return t;
  }

  private static void addCounts(EvalResult result, Table t, List<Predicate<ExampleReply>> rows) {
    List<Metric> metrics = result.metrics();
    IntColumn n = IntColumn.create("examples");
    IntColumn failed = IntColumn.create("failed");
    List<DoubleColumn> metricCols =
        metrics.stream().map(m -> DoubleColumn.create(m.name())).toList();
    DoubleColumn latency = DoubleColumn.create("latency_ms");
    DoubleColumn promptTokens = DoubleColumn.create("prompt_tokens");
    DoubleColumn completionTokens = DoubleColumn.create("completion_tokens");
    for (Predicate<ExampleReply> row : rows) {
      List<ExampleReply> in = result.replies().stream().filter(row).toList();
      List<ExampleReply> ok = in.stream().filter(r -> !r.failed()).toList();
      n.append(in.size());
      failed.append(in.size() - ok.size());
      for (int m = 0; m < metrics.size(); m++) {
        metricCols.get(m).append(result.value(metrics.get(m).name(), row));
      }
      latency.append(
          ok.stream().mapToDouble(ExampleReply::latencyMillis).average().orElse(Double.NaN));
      promptTokens.append(
          ok.stream().mapToInt(ExampleReply::promptTokens).average().orElse(Double.NaN));
      completionTokens.append(
          ok.stream().mapToInt(ExampleReply::completionTokens).average().orElse(Double.NaN));
    }
    t.addColumns(n, failed);
    metricCols.forEach(t::addColumns);
    t.addColumns(latency, promptTokens, completionTokens);
  }
}
