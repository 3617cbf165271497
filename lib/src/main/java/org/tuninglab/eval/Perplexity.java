package org.tuninglab.eval;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tuninglab.data.Conversation;
import org.tuninglab.data.EncodedDataset;
import org.tuninglab.data.EncodedExample;
import org.tuninglab.data.SftCollator;
import org.tuninglab.data.TruncationReport;
import org.tuninglab.model.PretrainedModel;
import org.tuninglab.score.ForwardPass;
import org.tuninglab.score.HoldoutLoss;
import org.tuninglab.score.TokenLoss;
import org.tuninglab.tokenize.ChatMessage;
import org.tuninglab.tokenize.ChatTemplate;
import org.tuninglab.tokenize.TextTokenizer;

/**
 * Perplexity of the reference answer under a local model, given the strategy's prompt: the
 * conversation the strategy sent, plus the reference as the assistant's reply, is rendered with the
 * model's chat template and tokenized exactly as {@link SftCollator} does for training. The answer
 * tokens are those the collator would train for that last assistant turn: the reference, the
 * end-of-turn token and anything the template writes after it. Earlier assistant turns (few-shot
 * examples) are context, not scored.
 *
 * <p>Per example: {@code exp(mean NLL over its answer tokens)}. Over a set: {@code exp(total NLL /
 * total answer tokens)}, token-weighted like {@link HoldoutLoss}. Lower is better. The reply is not
 * used, so the metric shows how much a prompt (few-shot context, retrieved passages) or an adapter
 * makes the reference more likely.
 */
public final class Perplexity implements Metric {

  private final String name;
  private final ForwardPass forward;
  private final SftCollator collator;
  private final NDManager manager;
  private final int maxLength;

  private Perplexity(Builder b) {
    this.name = b.name;
    this.forward = b.forward;
    this.manager = b.manager;
    this.maxLength = b.maxLength;
    this.collator =
        SftCollator.builder()
            .setTokenizer(b.tokenizer)
            .optChatTemplate(b.template)
            .setMaxLength(b.maxLength)
            .build();
  }

  /**
   * Perplexity under a loaded model, named {@code perplexity}, up to the model's context length.
   *
   * @param model the model; it must have a chat template
   * @return the metric
   * @throws IllegalArgumentException if the model has no chat template
   */
  public static Perplexity of(PretrainedModel model) {
    return builder()
        .setForwardPass(ForwardPass.of(model.model()))
        .setTokenizer(model.tokenizer())
        .setChatTemplate(
            model
                .chatTemplate()
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "perplexity needs the model's chat template; "
                                + model.directory().map(Object::toString).orElse("this model")
                                + " has none")))
        .setManager(model.model().manager())
        .optMaxLength(model.model().config().maxPositions())
        .build();
  }

  /**
   * Starts a builder, for a model with an adapter ({@link ForwardPass#of(
   * org.tuninglab.peft.AdaptedModel)}) or another name.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean higherIsBetter() {
    return false;
  }

  @Override
  public ExampleScore score(ExampleReply reply) {
    LabelledExample e = reply.example();
    List<ChatMessage> messages = new ArrayList<>(reply.messages());
    messages.add(ChatMessage.assistant(e.reference()));
    EncodedExample encoded = collator.encode(new Conversation(messages, Map.of(), e.id()));
    if (encoded.cutTokens() > 0) {
      throw new IllegalArgumentException(
          "example '"
              + e.id()
              + "': prompt and reference take "
              + (encoded.length() + encoded.cutTokens())
              + " tokens, more than the "
              + maxLength
              + " the perplexity metric allows");
    }
    EncodedExample answerOnly =
        new EncodedExample(encoded.ids(), lastTrainedRun(encoded.trained()), 0, e.id());
    forward.setTraining(false);
    TokenLoss loss =
        HoldoutLoss.compute(
            forward,
            collator.batches(
                new EncodedDataset(List.of(answerOnly), new TruncationReport(0, 0, List.of())), 1),
            manager);
    return new ExampleScore(
        loss.perplexity(), new double[] {loss.mean() * loss.tokens(), loss.tokens()});
  }

  @Override
  public double aggregate(double[] totals, int count) {
    return count == 0 || totals[1] == 0 ? Double.NaN : Math.exp(totals[0] / totals[1]);
  }

  /** Keeps only the last run of trained tokens: the final assistant turn. */
  private static boolean[] lastTrainedRun(boolean[] trained) {
    boolean[] out = new boolean[trained.length];
    int t = trained.length - 1;
    while (t >= 0 && !trained[t]) {
      t--;
    }
    while (t >= 0 && trained[t]) {
      out[t--] = true;
    }
    return out;
  }

  @Override
  public String toString() {
    return name;
  }

  /**
   * Builds a {@link Perplexity}: forward pass, tokenizer, chat template and manager are required.
   */
  public static final class Builder {
    private String name = "perplexity";
    private ForwardPass forward;
    private TextTokenizer tokenizer;
    private ChatTemplate template;
    private NDManager manager;
    private int maxLength = 2048;

    private Builder() {}

    /**
     * Sets the model's forward pass.
     *
     * @param forward computes logits
     * @return this builder
     */
    public Builder setForwardPass(ForwardPass forward) {
      this.forward = forward;
      return this;
    }

    /**
     * Sets the model's tokenizer.
     *
     * @param tokenizer the tokenizer
     * @return this builder
     */
    public Builder setTokenizer(TextTokenizer tokenizer) {
      this.tokenizer = tokenizer;
      return this;
    }

    /**
     * Sets the model's chat template.
     *
     * @param template the template
     * @return this builder
     */
    public Builder setChatTemplate(ChatTemplate template) {
      this.template = template;
      return this;
    }

    /**
     * Sets the manager whose sub-managers hold each example's arrays (the model's manager).
     *
     * @param manager the manager
     * @return this builder
     */
    public Builder setManager(NDManager manager) {
      this.manager = manager;
      return this;
    }

    /**
     * Sets the column name; {@code perplexity} by default.
     *
     * @param name the name, for example {@code perplexity_base}
     * @return this builder
     */
    public Builder optName(String name) {
      this.name = name;
      return this;
    }

    /**
     * Sets the longest prompt plus reference, in tokens; 2048 by default. A longer example is an
     * error rather than a silently shortened answer.
     *
     * @param maxLength at least 2
     * @return this builder
     */
    public Builder optMaxLength(int maxLength) {
      this.maxLength = maxLength;
      return this;
    }

    /**
     * Checks the settings.
     *
     * @return the metric
     * @throws IllegalArgumentException if a required setting is missing
     */
    public Perplexity build() {
      require(forward, "setForwardPass");
      require(tokenizer, "setTokenizer");
      require(template, "setChatTemplate");
      require(manager, "setManager");
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("the metric name must not be blank (optName)");
      }
      return new Perplexity(this);
    }

    private static void require(Object value, String setter) {
      if (value == null) {
        throw new IllegalArgumentException(setter + " is required");
      }
    }
  }
}
