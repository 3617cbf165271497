package org.tuninglab.prompt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.stream.IntStream;
import org.tuninglab.tokenize.ChatMessage;

/**
 * Builds few-shot prompts: k examples from a pool become earlier user/assistant turns, then the
 * query is the last user turn. Showing the model answers in the wanted format is how the workshop
 * turns a chatty reply into clean JSON without any training.
 *
 * <pre>{@code
 * FewShotBuilder fewShot = FewShotBuilder.builder()
 *     .setExamples(pool)
 *     .setK(2)
 *     .optSelection(ExampleSelection.BY_SIMILARITY)
 *     .optInputTemplate("Extract every entity in the following text into JSON: \"{input}\"")
 *     .build();
 * String reply = model.chat(fewShot.messages("The Apple executive executed an apple tree."), gen);
 * }</pre>
 */
public final class FewShotBuilder {

  private final List<FewShotExample> examples;
  private final int k;
  private final ExampleSelection selection;
  private final long seed;
  private final Similarity similarity;
  private final String systemPrompt;
  private final PromptTemplate inputTemplate;

  private FewShotBuilder(Builder b) {
    this.examples = b.examples;
    this.k = b.k;
    this.selection = b.selection;
    this.seed = b.seed;
    this.similarity = b.similarity;
    this.systemPrompt = b.systemPrompt;
    this.inputTemplate = b.inputTemplate;
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
   * The examples that go before this query, in the order they are shown.
   *
   * @param query the user's input (the raw input, before the input template)
   * @return k examples
   */
  public List<FewShotExample> select(String query) {
    Objects.requireNonNull(query, "query");
    return switch (selection) {
      case IN_ORDER -> examples.subList(0, k);
      case RANDOM -> {
        List<FewShotExample> shuffled = new ArrayList<>(examples);
        Collections.shuffle(shuffled, new Random(seed));
        yield List.copyOf(shuffled.subList(0, k));
      }
      case BY_SIMILARITY -> {
        double[] scores = examples.stream().mapToDouble(e -> score(query, e)).toArray();
        // A stable sort on descending score: ties keep pool order.
        yield IntStream.range(0, examples.size())
            .boxed()
            .sorted(Comparator.comparingDouble((Integer i) -> -scores[i]))
            .limit(k)
            .map(examples::get)
            .toList();
      }
    };
  }

  /**
   * The chat messages: the system prompt (if any), a user/assistant pair per selected example, and
   * the query as the last user turn.
   *
   * @param query the user's input
   * @return the messages, ready for a chat template or {@code PretrainedModel.chat}
   */
  public List<ChatMessage> messages(String query) {
    List<ChatMessage> out = new ArrayList<>();
    if (systemPrompt != null) {
      out.add(ChatMessage.system(systemPrompt));
    }
    for (FewShotExample e : select(query)) {
      out.add(ChatMessage.user(asInput(e.input())));
      out.add(ChatMessage.assistant(e.output()));
    }
    out.add(ChatMessage.user(asInput(query)));
    return List.copyOf(out);
  }

  private double score(String query, FewShotExample e) {
    double s = similarity.score(query, e.input());
    if (Double.isNaN(s)) {
      throw new IllegalStateException(
          "similarity " + similarity + " gave NaN for example input '" + e.input() + "'");
    }
    return s;
  }

  private String asInput(String text) {
    return inputTemplate == null ? text : inputTemplate.render(Map.of("input", text));
  }

  /** Builds a {@link FewShotBuilder}: {@code setExamples} and {@code setK} are required. */
  public static final class Builder {

    private List<FewShotExample> examples;
    private Integer k; // null until set: k has no sensible default
    private ExampleSelection selection = ExampleSelection.IN_ORDER;
    private long seed;
    private Similarity similarity = Similarity.wordCountCosine();
    private String systemPrompt;
    private PromptTemplate inputTemplate;

    private Builder() {}

    /**
     * Sets the pool to choose examples from.
     *
     * @param examples the pool, in its natural order
     * @return this builder
     */
    public Builder setExamples(List<FewShotExample> examples) {
      this.examples = List.copyOf(Objects.requireNonNull(examples, "examples"));
      return this;
    }

    /**
     * Sets how many examples go before each query; 0 gives a zero-shot prompt.
     *
     * @param k from 0 to the pool size
     * @return this builder
     */
    public Builder setK(int k) {
      this.k = k;
      return this;
    }

    /**
     * Sets how examples are chosen; {@link ExampleSelection#IN_ORDER} by default.
     *
     * @param selection the strategy
     * @return this builder
     */
    public Builder optSelection(ExampleSelection selection) {
      this.selection = Objects.requireNonNull(selection, "selection");
      return this;
    }

    /**
     * Sets the seed for {@link ExampleSelection#RANDOM}; 0 by default.
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder optSeed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Sets the similarity for {@link ExampleSelection#BY_SIMILARITY}; {@link
     * Similarity#wordCountCosine()} by default.
     *
     * @param similarity the similarity
     * @return this builder
     */
    public Builder optSimilarity(Similarity similarity) {
      this.similarity = Objects.requireNonNull(similarity, "similarity");
      return this;
    }

    /**
     * Puts a system prompt first.
     *
     * @param systemPrompt the instructions
     * @return this builder
     */
    public Builder optSystemPrompt(String systemPrompt) {
      this.systemPrompt = Objects.requireNonNull(systemPrompt, "systemPrompt");
      return this;
    }

    /**
     * Wraps every input (examples' and the query's) in a template whose only variable is {@code
     * {input}}; similarity still compares the raw inputs.
     *
     * @param template for example {@code "Extract every entity into JSON: \"{input}\""}
     * @return this builder
     * @throws PromptTemplateException if the template is malformed or has other variables
     */
    public Builder optInputTemplate(String template) {
      PromptTemplate t = PromptTemplate.of(template);
      if (!t.variables().equals(List.of("input"))) {
        throw new PromptTemplateException(
            "input template must use exactly the variable 'input', got " + t.variables());
      }
      this.inputTemplate = t;
      return this;
    }

    /**
     * Checks the settings.
     *
     * @return the few-shot builder
     * @throws IllegalArgumentException if examples or k is missing, or k is outside [0, pool size]
     */
    public FewShotBuilder build() {
      if (examples == null) {
        throw new IllegalArgumentException("examples are required (setExamples)");
      }
      if (k == null) {
        throw new IllegalArgumentException("k is required (setK)");
      }
      if (k < 0) {
        throw new IllegalArgumentException("k must be >= 0, got " + k);
      }
      if (k > examples.size()) {
        throw new IllegalArgumentException(
            "k = " + k + " exceeds the pool of " + examples.size() + " examples");
      }
      return new FewShotBuilder(this);
    }
  }
}
