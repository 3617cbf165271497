package org.tuninglab.eval.view;

import java.util.List;
import org.tuninglab.eval.EvalResult;
import org.tuninglab.eval.ExampleReply;
import org.tuninglab.eval.Metric;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Every reply of an evaluation with its scores. */
public final class DrillDown {
  private DrillDown() {}

  /**
   * The drill-down: a row per example and strategy with {@code id}, {@code category}, {@code
   * strategy}, {@code reply} (empty when failed), {@code error} (empty when answered), {@code
   * latency_ms}, {@code prompt_tokens}, {@code completion_tokens} and a column per metric (NaN when
   * failed).
   *
   * @param result the evaluation
   * @return the table, named "examples"
   */
  public static Table of(EvalResult result) {
    List<Metric> metrics = result.metrics();
    StringColumn id = StringColumn.create("id");
    StringColumn category = StringColumn.create("category");
    StringColumn strategy = StringColumn.create("strategy");
    StringColumn reply = StringColumn.create("reply");
    StringColumn error = StringColumn.create("error");
    DoubleColumn latency = DoubleColumn.create("latency_ms");
    IntColumn promptTokens = IntColumn.create("prompt_tokens");
    IntColumn completionTokens = IntColumn.create("completion_tokens");
    List<DoubleColumn> metricCols =
        metrics.stream().map(m -> DoubleColumn.create(m.name())).toList();
    List<ExampleReply> replies = result.replies();
    for (int i = 0; i < replies.size(); i++) {
      ExampleReply r = replies.get(i);
      id.append(r.example().id());
      category.append(EvalResult.categoryOf(r.example()));
      strategy.append(r.strategy());
      reply.append(r.failed() ? "" : r.reply());
      error.append(r.failed() ? r.error() : "");
      latency.append(r.latencyMillis());
      promptTokens.append(r.promptTokens());
      completionTokens.append(r.completionTokens());
      for (int m = 0; m < metrics.size(); m++) {
        metricCols.get(m).append(result.score(i, metrics.get(m).name()));
      }
    }
    Table t =
        Table.create(
            "examples", id, category, strategy, reply, error, latency, promptTokens,
            completionTokens);
    metricCols.forEach(t::addColumns);
    return t;
  }
}
