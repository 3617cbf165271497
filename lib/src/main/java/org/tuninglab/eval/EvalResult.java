package org.tuninglab.eval;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What an {@link EvalHarness} run produced: every reply with its scores, and the views a notebook
 * shows. Metrics are computed over the replies that did not fail; {@code failed} columns count the
 * rest.
 */
public final class EvalResult {

  /** The category shown for examples without one. */
  public static final String NO_CATEGORY = "(none)";

  private final List<LabelledExample> examples;
  private final List<String> strategies;
  private final List<Metric> metrics;
  private final List<ExampleReply> replies;

  /** One map per reply, metric name to score; empty for failed replies. */
  private final List<Map<String, ExampleScore>> scores;

  EvalResult(
      List<LabelledExample> examples,
      List<String> strategies,
      List<Metric> metrics,
      List<ExampleReply> replies,
      List<Map<String, ExampleScore>> scores) {
    if (replies.size() != scores.size()) {
      throw new IllegalArgumentException(
          replies.size() + " replies but " + scores.size() + " sets of scores");
    }
    this.examples = List.copyOf(examples);
    this.strategies = List.copyOf(strategies);
    this.metrics = List.copyOf(metrics);
    this.replies = List.copyOf(replies);
    this.scores = scores.stream().map(Map::copyOf).toList();
  }

  /**
   * The labelled set, in its order.
   *
   * @return the examples
   */
  public List<LabelledExample> examples() {
    return examples;
  }

  /**
   * The strategy names, in the order they were added.
   *
   * @return the names
   */
  public List<String> strategies() {
    return strategies;
  }

  /**
   * The metrics, in the order they were added.
   *
   * @return the metrics
   */
  public List<Metric> metrics() {
    return metrics;
  }

  /**
   * Every reply, strategy by strategy, each in example order.
   *
   * @return the replies
   */
  public List<ExampleReply> replies() {
    return replies;
  }

  /**
   * One strategy's replies, in example order.
   *
   * @param strategy the strategy's name
   * @return its replies
   * @throws IllegalArgumentException if no strategy has that name
   */
  public List<ExampleReply> replies(String strategy) {
    requireStrategy(strategy);
    return replies.stream().filter(r -> r.strategy().equals(strategy)).toList();
  }

  /**
   * How many examples a strategy's model failed on.
   *
   * @param strategy the strategy's name
   * @return the count of failed replies
   */
  public int failures(String strategy) {
    return (int) replies(strategy).stream().filter(ExampleReply::failed).count();
  }

  /**
   * One metric of one strategy over the whole set.
   *
   * @param strategy the strategy's name
   * @param metric the metric's name
   * @return the value (NaN when every example failed)
   * @throws IllegalArgumentException if the strategy or the metric is unknown
   */
  public double value(String strategy, String metric) {
    requireStrategy(strategy);
    return aggregate(metric(metric), r -> r.strategy().equals(strategy));
  }

  /**
   * One example's score on one metric for one strategy, as the drill-down shows it.
   *
   * @param strategy the strategy's name
   * @param exampleId the example's id
   * @param metric the metric's name
   * @return the per-example value (NaN when the reply failed)
   * @throws IllegalArgumentException if the strategy, the example or the metric is unknown
   */
  public double score(String strategy, String exampleId, String metric) {
    metric(metric);
    for (int i = 0; i < replies.size(); i++) {
      ExampleReply r = replies.get(i);
      if (r.strategy().equals(strategy) && r.example().id().equals(exampleId)) {
        ExampleScore s = scores.get(i).get(metric);
        return s == null ? Double.NaN : s.value();
      }
    }
    requireStrategy(strategy);
    throw new IllegalArgumentException("no example with id '" + exampleId + "'");
  }

  /**
   * The metrics table: a row per strategy; columns {@code strategy}, {@code examples}, {@code
   * failed}, one per metric, then the means over answered examples of {@code latency_ms}, {@code
   * prompt_tokens} and {@code completion_tokens}.
   *
   * @return the table, named "metrics"
   */
  public Table metricsTable() {
    Table t = Table.create("metrics", StringColumn.create("strategy", strategies));
    addCounts(
        t,
        strategies.stream()
            .map(s -> (Predicate<ExampleReply>) r -> r.strategy().equals(s))
            .toList());
    return t;
  }

  /**
   * The per-category breakdown: a row per category and strategy (categories in order of first
   * appearance, {@value #NO_CATEGORY} for examples without one), with the columns of {@link
   * #metricsTable()} after {@code category}.
   *
   * @return the table, named "metrics by category"
   */
  public Table byCategory() {
    Set<String> categories = new LinkedHashSet<>();
    examples.forEach(e -> categories.add(categoryOf(e)));
    List<String> categoryCol = new ArrayList<>();
    List<String> strategyCol = new ArrayList<>();
    List<Predicate<ExampleReply>> rows = new ArrayList<>();
    for (String c : categories) {
      for (String s : strategies) {
        categoryCol.add(c);
        strategyCol.add(s);
        rows.add(r -> r.strategy().equals(s) && categoryOf(r.example()).equals(c));
      }
    }
    Table t =
        Table.create(
            "metrics by category",
            StringColumn.create("category", categoryCol),
            StringColumn.create("strategy", strategyCol));
    addCounts(t, rows);
    return t;
  }

  /**
   * The drill-down: a row per example and strategy with {@code id}, {@code category}, {@code
   * strategy}, {@code reply} (empty when failed), {@code error} (empty when answered), {@code
   * latency_ms}, {@code prompt_tokens}, {@code completion_tokens} and a column per metric (NaN when
   * failed).
   *
   * @return the table, named "examples"
   */
  public Table drillDown() {
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
    for (int i = 0; i < replies.size(); i++) {
      ExampleReply r = replies.get(i);
      id.append(r.example().id());
      category.append(categoryOf(r.example()));
      strategy.append(r.strategy());
      reply.append(r.failed() ? "" : r.reply());
      error.append(r.failed() ? r.error() : "");
      latency.append(r.latencyMillis());
      promptTokens.append(r.promptTokens());
      completionTokens.append(r.completionTokens());
      for (int m = 0; m < metrics.size(); m++) {
        ExampleScore s = scores.get(i).get(metrics.get(m).name());
        metricCols.get(m).append(s == null ? Double.NaN : s.value());
      }
    }
    Table t =
        Table.create(
            "examples",
            id,
            category,
            strategy,
            reply,
            error,
            latency,
            promptTokens,
            completionTokens);
    metricCols.forEach(t::addColumns);
    return t;
  }

  /**
   * A bar chart of metrics per strategy: strategies on the x axis, a series per metric. Pick
   * metrics on one scale (rates with rates; perplexity alone).
   *
   * @param metricNames the metrics to show; none means all
   * @return the chart
   * @throws IllegalArgumentException if a metric is unknown
   */
  public CategoryChart chart(String... metricNames) {
    List<String> names =
        metricNames.length == 0
            ? metrics.stream().map(Metric::name).toList()
            : List.of(metricNames);
    if (names.isEmpty()) {
      throw new IllegalArgumentException("the run has no metrics to chart");
    }
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
        double v = value(s, name);
        values.add(Double.isNaN(v) ? null : v);
      }
      chart.addSeries(name, strategies, values);
    }
    return chart;
  }

  /**
   * Compares two strategies example by example. Examples where either failed are skipped.
   *
   * @param first the strategy whose wins are counted
   * @param second the strategy it is compared with
   * @param judge decides each pair
   * @return wins, ties and losses of {@code first}
   * @throws IllegalArgumentException if a strategy is unknown or both are the same
   */
  public WinRate winRate(String first, String second, Judge judge) {
    if (first.equals(second)) {
      throw new IllegalArgumentException(
          "a strategy cannot be compared with itself: '" + first + "'");
    }
    List<ExampleReply> a = replies(first);
    List<ExampleReply> b = replies(second);
    int wins = 0;
    int ties = 0;
    int losses = 0;
    int skipped = 0;
    for (int i = 0; i < a.size(); i++) {
      ExampleReply x = a.get(i);
      ExampleReply y = b.get(i);
      if (x.failed() || y.failed()) {
        skipped++;
        continue;
      }
      switch (judge.judge(x.example(), x.reply(), y.reply())) {
        case FIRST -> wins++;
        case TIE -> ties++;
        case SECOND -> losses++;
      }
    }
    return new WinRate(first, second, wins, ties, losses, skipped);
  }

  /**
   * Win rates of every pair of strategies, each pair once, the earlier-added strategy first:
   * columns {@code first}, {@code second}, {@code wins}, {@code ties}, {@code losses}, {@code
   * skipped}, {@code win_rate}.
   *
   * @param judge decides each pair of replies
   * @return the table, named "win rates"
   */
  public Table winRates(Judge judge) {
    StringColumn first = StringColumn.create("first");
    StringColumn second = StringColumn.create("second");
    IntColumn wins = IntColumn.create("wins");
    IntColumn ties = IntColumn.create("ties");
    IntColumn losses = IntColumn.create("losses");
    IntColumn skipped = IntColumn.create("skipped");
    DoubleColumn rate = DoubleColumn.create("win_rate");
    for (int i = 0; i < strategies.size(); i++) {
      for (int j = i + 1; j < strategies.size(); j++) {
        WinRate w = winRate(strategies.get(i), strategies.get(j), judge);
        first.append(w.first());
        second.append(w.second());
        wins.append(w.wins());
        ties.append(w.ties());
        losses.append(w.losses());
        skipped.append(w.skipped());
        rate.append(w.rate());
      }
    }
    return Table.create("win rates", first, second, wins, ties, losses, skipped, rate);
  }

  @Override
  public String toString() {
    return "EvalResult"
        + strategies
        + " over "
        + examples.size()
        + " examples, metrics "
        + metrics.stream().map(Metric::name).toList();
  }

  private void addCounts(Table t, List<Predicate<ExampleReply>> rows) {
    IntColumn n = IntColumn.create("examples");
    IntColumn failed = IntColumn.create("failed");
    List<DoubleColumn> metricCols =
        metrics.stream().map(m -> DoubleColumn.create(m.name())).toList();
    DoubleColumn latency = DoubleColumn.create("latency_ms");
    DoubleColumn promptTokens = DoubleColumn.create("prompt_tokens");
    DoubleColumn completionTokens = DoubleColumn.create("completion_tokens");
    for (Predicate<ExampleReply> row : rows) {
      List<ExampleReply> in = replies.stream().filter(row).toList();
      List<ExampleReply> ok = in.stream().filter(r -> !r.failed()).toList();
      n.append(in.size());
      failed.append(in.size() - ok.size());
      for (int m = 0; m < metrics.size(); m++) {
        metricCols.get(m).append(aggregate(metrics.get(m), row));
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

  private double aggregate(Metric metric, Predicate<ExampleReply> row) {
    double[] totals = null;
    int count = 0;
    for (int i = 0; i < replies.size(); i++) {
      ExampleScore s = scores.get(i).get(metric.name());
      if (s == null || !row.test(replies.get(i))) {
        continue;
      }
      if (totals == null) {
        totals = new double[s.totals().length];
      }
      for (int k = 0; k < totals.length; k++) {
        totals[k] += s.totals()[k];
      }
      count++;
    }
    return count == 0 ? Double.NaN : metric.aggregate(totals, count);
  }

  private Metric metric(String name) {
    return metrics.stream()
        .filter(m -> m.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no metric '"
                        + name
                        + "'; the run has "
                        + metrics.stream().map(Metric::name).toList()));
  }

  private void requireStrategy(String strategy) {
    if (!strategies.contains(strategy)) {
      throw new IllegalArgumentException(
          "no strategy '" + strategy + "'; the run has " + strategies);
    }
  }

  private static String categoryOf(LabelledExample e) {
    return e.category() == null ? NO_CATEGORY : e.category();
  }
}
