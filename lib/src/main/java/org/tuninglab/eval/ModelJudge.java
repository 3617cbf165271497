package org.tuninglab.eval;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tuninglab.chat.ChatModel;
import org.tuninglab.generate.GenerationConfig;
import org.tuninglab.prompt.PromptTemplate;

/**
 * A chat model as the judge of two replies. It is asked twice, with the replies in both orders,
 * because judges favour one position; each answer earns the first reply 1 (it wins), 0.5 (tie) or 0
 * (it loses), and over both orders more than 1 point is a win, exactly 1 a tie, less a loss. So a
 * judge that always says "1" produces only ties.
 *
 * <p>The judge's reply is read as the first standalone {@code 1}, {@code 2} or {@code tie} in it
 * (case-insensitive); a reply with none of them counts as a tie for that order.
 */
public final class ModelJudge implements Judge {

  /** The default prompt; {@code {reference}} lets the judge see the labelled answer. */
  public static final PromptTemplate DEFAULT_PROMPT =
      PromptTemplate.builder()
          .optSystemPrompt("You are an impartial judge. You compare two answers to one question.")
          .setTemplate(
              "Question:\n"
                  + "{question}\n\n"
                  + "Reference answer:\n"
                  + "{reference}\n\n"
                  + "Answer 1:\n"
                  + "{first}\n\n"
                  + "Answer 2:\n"
                  + "{second}\n\n"
                  + "Which answer is better? Reply with exactly one of: 1, 2, tie.")
          .build();

  private static final Set<String> VARIABLES = Set.of("question", "reference", "first", "second");
  private static final Pattern VERDICT = Pattern.compile("\\b(1|2|tie)\\b");

  private final ChatModel model;
  private final GenerationConfig config;
  private final PromptTemplate prompt;

  private ModelJudge(Builder b) {
    this.model = b.model;
    this.config = b.config;
    this.prompt = b.prompt;
  }

  /**
   * Starts a builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Verdict judge(LabelledExample example, String first, String second) {
    double points = ask(example, first, second).firstPoints();
    points += 1 - ask(example, second, first).firstPoints();
    return points > 1 ? Verdict.FIRST : points < 1 ? Verdict.SECOND : Verdict.TIE;
  }

  /**
   * One question to the judge, in one order.
   *
   * @param example the example
   * @param first shown as answer 1
   * @param second shown as answer 2
   * @return the judge's verdict on this order
   * @throws org.tuninglab.chat.ChatModelException if the judging model fails
   */
  public Verdict ask(LabelledExample example, String first, String second) {
    Map<String, String> values =
        Map.of(
            "question",
            example.input(),
            "reference",
            example.reference(),
            "first",
            first,
            "second",
            second);
    GenerationConfig seeded =
        config.toBuilder().optSeed(EvalHarness.exampleSeed(config.seed(), example.id())).build();
    String reply = model.chat(prompt.messages(values), seeded).text();
    return parse(reply);
  }

  /**
   * Reads a judge's reply.
   *
   * @param reply the judge's text
   * @return FIRST for "1", SECOND for "2", TIE for "tie" or when neither appears
   */
  public static Verdict parse(String reply) {
    Matcher m = VERDICT.matcher(reply.toLowerCase(Locale.ROOT));
    if (!m.find()) {
      return Verdict.TIE;
    }
    return switch (m.group(1)) {
      case "1" -> Verdict.FIRST;
      case "2" -> Verdict.SECOND;
      default -> Verdict.TIE;
    };
  }

  /** Builds a {@link ModelJudge}: {@code setModel} is required. */
  public static final class Builder {
    private ChatModel model;
    private GenerationConfig config = GenerationConfig.greedy(16);
    private PromptTemplate prompt = DEFAULT_PROMPT;

    private Builder() {}

    /**
     * Sets the judging model.
     *
     * @param model the judge
     * @return this builder
     */
    public Builder setModel(ChatModel model) {
      this.model = model;
      return this;
    }

    /**
     * Sets how the judge decodes; greedy with 16 new tokens by default.
     *
     * @param config the decoding settings
     * @return this builder
     */
    public Builder optGeneration(GenerationConfig config) {
      if (config == null) {
        throw new IllegalArgumentException("config must not be null");
      }
      this.config = config;
      return this;
    }

    /**
     * Replaces the judging prompt; it may use {@code {question}}, {@code {reference}}, {@code
     * {first}} and {@code {second}}, and must use the last two.
     *
     * @param prompt the template
     * @return this builder
     * @throws IllegalArgumentException if it lacks an answer or uses another variable
     */
    public Builder optPrompt(PromptTemplate prompt) {
      if (!prompt.variables().containsAll(Set.of("first", "second"))
          || !VARIABLES.containsAll(prompt.variables())) {
        throw new IllegalArgumentException(
            "a judge prompt must use {first} and {second} and only variables among "
                + VARIABLES
                + "; got "
                + prompt.variables());
      }
      this.prompt = prompt;
      return this;
    }

    /**
     * Checks the settings.
     *
     * @return the judge
     * @throws IllegalArgumentException if no model is set
     */
    public ModelJudge build() {
      if (model == null) {
        throw new IllegalArgumentException("a judge model is required (setModel)");
      }
      return new ModelJudge(this);
    }
  }
}
