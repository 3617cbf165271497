package org.tuninglab.eval;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.tuninglab.chat.ChatModelException;
import org.tuninglab.chat.ChatReply;
import org.tuninglab.generate.GenerationConfig;
import org.tuninglab.tokenize.ChatMessage;

/**
 * Runs strategies over a labelled set and scores the replies.
 *
 * <p>Each example is decoded with its own seed, {@link #exampleSeed(long, String)} of the run seed
 * and the example id, the same for every strategy: results reproduce, do not depend on the order of
 * the set, and strategies are compared on the same random draws. A {@link ChatModelException} on
 * one example is recorded (the example marked failed, its error kept) and the run goes on; failed
 * examples are counted in the tables and left out of the metrics.
 *
 * <pre>{@code
 * EvalResult result = EvalHarness.builder()
 *     .setExamples(LabelledFiles.load(Path.of("test.jsonl"), LabelledFields.DEFAULT))
 *     .addStrategy(Strategy.plain("plain", base))
 *     .addStrategy(Strategy.fewShot("few-shot", base, fewShot))
 *     .addStrategy(Strategy.plain("fine-tuned", tuned))
 *     .addMetric(ExactMatch.numericAnswer())
 *     .optGeneration(GenerationConfig.greedy(256))
 *     .optSeed(42)
 *     .build()
 *     .run();
 * display(MetricsTable.of(result)); // org.tuninglab.eval.view
 * }</pre>
 */
public final class EvalHarness {

  private final List<LabelledExample> examples;
  private final List<Strategy> strategies;
  private final List<Metric> metrics;
  private final GenerationConfig generation;
  private final long seed;
  private final Consumer<ExampleReply> listener;
  private final int batchSize;

  private EvalHarness(Builder b) {
    this.examples = b.examples;
    this.strategies = List.copyOf(b.strategies);
    this.metrics = List.copyOf(b.metrics);
    this.generation = b.generation;
    this.seed = b.seed;
    this.listener = b.listener;
    this.batchSize = b.batchSize;
  }

  /**
   * Starts a builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The decoding seed of one example: SplitMix64's finaliser applied to the run seed plus the
   * example id's 64-bit FNV-1a hash (UTF-8 bytes). Stable across JVMs and versions.
   *
   * @param runSeed the run's seed
   * @param exampleId the example's id
   * @return the example's seed
   */
  public static long exampleSeed(long runSeed, String exampleId) {
    long h = 0xcbf29ce484222325L;
    for (byte b : exampleId.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    long z = runSeed + h * 0x9e3779b97f4a7c15L;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /**
   * Asks every strategy about every example, strategy by strategy, scoring each reply as it
   * arrives.
   *
   * @return the replies, scores and tables
   */
  public EvalResult run() {
    int total = strategies.size() * examples.size();
    List<ExampleReply> replies = new ArrayList<>(total);
    List<Map<String, ExampleScore>> scores = new ArrayList<>(total);
    for (Strategy s : strategies) {
      for (int from = 0; from < examples.size(); from += batchSize) {
        for (ExampleReply reply :
            ask(s, examples.subList(from, Math.min(from + batchSize, examples.size())))) {
          listener.accept(reply);
          replies.add(reply);
          scores.add(score(reply));
        }
      }
    }
    return new EvalResult(
        examples, strategies.stream().map(Strategy::name).toList(), metrics, replies, scores);
  }

  /** Scores a reply as soon as it arrives, so a metric that cannot score it fails early. */
  private Map<String, ExampleScore> score(ExampleReply reply) {
    Map<String, ExampleScore> byMetric = new LinkedHashMap<>();
    if (!reply.failed()) {
      for (Metric m : metrics) {
        byMetric.put(m.name(), m.score(reply));
      }
    }
    return byMetric;
  }

  /**
   * A group of examples answered in one batch when decoding is greedy (sampling draws each
   * example's own seed, so it goes one by one); a batch the model fails is asked again one by one,
   * so only the example at fault is marked failed. Each reply's latency is its share of the batch.
   */
  private List<ExampleReply> ask(Strategy s, List<LabelledExample> group) {
    if (group.size() > 1 && generation.temperature() == 0) {
      List<List<ChatMessage>> conversations = group.stream().map(e -> s.prompt().messages(e)).toList();
      long start = System.nanoTime();
      try {
        List<ChatReply> answered = s.model().chatAll(conversations, generation);
        long share = (System.nanoTime() - start) / group.size();
        List<ExampleReply> out = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
          ChatReply r = answered.get(i);
          LabelledExample e = group.get(i);
          out.add(new ExampleReply(e, s.name(), conversations.get(i), exampleSeed(seed, e.id()),
              r.text(), null, r.finishReason(), share, r.promptTokens(), r.completionTokens()));
        }
        return out;
      } catch (ChatModelException failure) {
        // Some prompt in the batch failed: ask one by one below, so only it is marked failed.
      }
    }
    List<ExampleReply> out = new ArrayList<>();
    for (LabelledExample e : group) {
      out.add(ask(s, e));
    }
    return out;
  }

  private ExampleReply ask(Strategy s, LabelledExample e) {
    List<ChatMessage> messages = s.prompt().messages(e);
    long exampleSeed = exampleSeed(seed, e.id());
    GenerationConfig config = generation.toBuilder().optSeed(exampleSeed).build();
    long start = System.nanoTime();
    try {
      ChatReply r = s.model().chat(messages, config);
      long nanos = System.nanoTime() - start;
      return new ExampleReply(
          e,
          s.name(),
          messages,
          exampleSeed,
          r.text(),
          null,
          r.finishReason(),
          nanos,
          r.promptTokens(),
          r.completionTokens());
    } catch (ChatModelException failure) {
      long nanos = System.nanoTime() - start;
      String message = failure.getMessage() == null ? failure.toString() : failure.getMessage();
      return new ExampleReply(e, s.name(), messages, exampleSeed, null, message, null, nanos, 0, 0);
    }
  }

  /** Builds an {@link EvalHarness}: examples and at least one strategy are required. */
  public static final class Builder {
    private List<LabelledExample> examples;
    private final List<Strategy> strategies = new ArrayList<>();
    private final List<Metric> metrics = new ArrayList<>();
    private GenerationConfig generation = GenerationConfig.greedy(128);
    private long seed;
    private Consumer<ExampleReply> listener = r -> {};
    private int batchSize = 1;

    private Builder() {}

    /**
     * Sets the labelled set.
     *
     * @param examples the examples, with unique ids
     * @return this builder
     */
    public Builder setExamples(List<LabelledExample> examples) {
      this.examples = List.copyOf(Objects.requireNonNull(examples, "examples"));
      return this;
    }

    /**
     * Adds a strategy; its name must differ from the others'.
     *
     * @param strategy the strategy
     * @return this builder
     * @throws IllegalArgumentException if a strategy of that name was added already
     */
    public Builder addStrategy(Strategy strategy) {
      Objects.requireNonNull(strategy, "strategy");
      if (strategies.stream().anyMatch(s -> s.name().equals(strategy.name()))) {
        throw new IllegalArgumentException(
            "strategy name '" + strategy.name() + "' is used twice; names label the table rows");
      }
      strategies.add(strategy);
      return this;
    }

    /**
     * Adds a metric; its name must differ from the others'.
     *
     * @param metric the metric
     * @return this builder
     * @throws IllegalArgumentException if a metric of that name was added already
     */
    public Builder addMetric(Metric metric) {
      Objects.requireNonNull(metric, "metric");
      if (metrics.stream().anyMatch(m -> m.name().equals(metric.name()))) {
        throw new IllegalArgumentException(
            "metric name '" + metric.name() + "' is used twice; names label the table columns");
      }
      metrics.add(metric);
      return this;
    }

    /**
     * Sets how to decode; greedy with 128 new tokens by default. Its seed is replaced per example.
     *
     * @param generation the decoding settings
     * @return this builder
     */
    public Builder optGeneration(GenerationConfig generation) {
      this.generation = Objects.requireNonNull(generation, "generation");
      return this;
    }

    /**
     * Sets the run seed; 0 by default.
     *
     * @param seed the seed every example's seed derives from
     * @return this builder
     */
    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Sets how many examples a greedy run decodes at once ({@link
     * org.tuninglab.chat.ChatModel#chatAll}); 1 (one at a time) by default. Replies and scores
     * are the same as one by one, up to float rounding in the padded batch.
     *
     * @param batchSize at least 1
     * @return this builder
     */
    public Builder optBatchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /**
     * Receives each reply as soon as it is recorded, for progress display.
     *
     * @param listener called once per example and strategy, on the running thread
     * @return this builder
     */
    public Builder optListener(Consumer<ExampleReply> listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Checks the set, the strategies and what each metric needs, before any model is called.
     *
     * @return the harness
     * @throws IllegalArgumentException if the set is missing or empty, an id repeats, no strategy
     *     was added, or a metric needs a field an example lacks
     */
    public EvalHarness build() {
      if (examples == null || examples.isEmpty()) {
        throw new IllegalArgumentException(
            "the labelled set is empty: nothing to evaluate (setExamples)");
      }
      Set<String> ids = new HashSet<>();
      for (LabelledExample e : examples) {
        if (!ids.add(e.id())) {
          throw new IllegalArgumentException(
              "example id '" + e.id() + "' appears twice; ids must be unique (they seed decoding)");
        }
      }
      if (strategies.isEmpty()) {
        throw new IllegalArgumentException("no strategy to evaluate (addStrategy)");
      }
      for (Metric m : metrics) {
        m.check(examples);
      }
      return new EvalHarness(this);
    }
  }
}
