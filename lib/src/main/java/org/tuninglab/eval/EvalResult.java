package org.tuninglab.eval;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What an {@link EvalHarness} run produced: every reply with its scores, and the values per
 * strategy; its tables and charts are in {@code org.tuninglab.eval.view}. Metrics are computed over the replies that did not fail; {@code failed} columns count the
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

  @Override
  public String toString() {
    return "EvalResult"
        + strategies
        + " over "
        + examples.size()
        + " examples, metrics "
        + metrics.stream().map(Metric::name).toList();
  }

  /**
   * One metric over the replies a predicate picks (a strategy's, a category's), failed replies
   * left out; what the tables of {@code eval.view} show per row.
   *
   * @param metric the metric's name
   * @param row picks the replies
   * @return the value (NaN when no picked reply was answered)
   * @throws IllegalArgumentException if the metric is unknown
   */
  public double value(String metric, Predicate<ExampleReply> row) {
    return aggregate(metric(metric), row);
  }

  /**
   * One reply's score on one metric.
   *
   * @param reply the reply's index in {@link #replies()}
   * @param metric the metric's name
   * @return the score, NaN when the reply failed
   */
  public double score(int reply, String metric) {
    ExampleScore s = scores.get(reply).get(metric(metric).name());
    return s == null ? Double.NaN : s.value();
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

  /**
   * An example's category as the tables show it.
   *
   * @param e the example
   * @return its category, or {@value #NO_CATEGORY}
   */
  public static String categoryOf(LabelledExample e) {
    return e.category() == null ? NO_CATEGORY : e.category();
  }
}
