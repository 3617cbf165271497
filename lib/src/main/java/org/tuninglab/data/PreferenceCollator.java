package org.tuninglab.data;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.tuninglab.tokenize.ChatMessage;
import org.tuninglab.tokenize.ChatTemplate;
import org.tuninglab.tokenize.TextTokenizer;

/**
 * Turns preference pairs into token ids and collates them, both sides in one batch.
 *
 * <p>The prompt goes through the chat template with the generation prompt (the text up to where
 * the assistant starts); each answer is what the template adds when that answer is the next
 * assistant turn: its content and the end-of-turn token. The prompt is tokenized once, so both
 * sides share its tokens exactly; only answer tokens are trained, so a log-probability summed over
 * the labels is the answer's, the end-of-turn (EOS) included. A prompt longer than the prompt
 * budget is an error ({@link PreferenceFiles} reports it with file and line); an answer that does
 * not fit the max length is cut at its end.
 */
public final class PreferenceCollator {
  private final TextTokenizer tokenizer;
  private final ChatTemplate template;
  private final String systemPrompt;
  private final int maxLength;
  private final int maxPromptLength;
  private final int eosId;
  private final SftCollator padding;

  private PreferenceCollator(Builder b) {
    this.tokenizer = Objects.requireNonNull(b.tokenizer, "setTokenizer is required");
    this.template = Objects.requireNonNull(b.template, "setChatTemplate is required");
    this.systemPrompt = b.systemPrompt;
    // The SFT collator checks the max length and the EOS token and pads batches the same way.
    this.padding =
        SftCollator.builder().setTokenizer(tokenizer).setMaxLength(b.maxLength).build();
    this.maxLength = b.maxLength;
    this.maxPromptLength = b.maxPromptLength < 0 ? b.maxLength / 2 : b.maxPromptLength;
    if (maxPromptLength < 1 || maxPromptLength >= maxLength) {
      throw new IllegalArgumentException(
          "optMaxPromptLength must be in [1, max length " + maxLength + "), got " + maxPromptLength);
    }
    this.eosId = tokenizer.specialTokens().eos().iterator().next();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The most tokens a sequence (prompt and one answer) keeps. */
  public int maxLength() {
    return maxLength;
  }

  /** The most tokens a prompt may take with the chat template. */
  public int maxPromptLength() {
    return maxPromptLength;
  }

  /**
   * Counts a pair's prompt tokens, chat template and system prompt included.
   *
   * @param pair the pair
   * @return the prompt's length in tokens
   */
  public int promptLength(PreferencePair pair) {
    return tokenizer.encode(context(pair), false).length;
  }

  /**
   * Tokenizes a pair.
   *
   * @param pair the pair
   * @return both sides, prompt tokens untrained, answer tokens (and EOS) trained
   * @throws IllegalArgumentException if the prompt is longer than {@link #maxPromptLength()}
   */
  public EncodedPair encode(PreferencePair pair) {
    String context = context(pair);
    int[] prompt = tokenizer.encode(context, false);
    if (prompt.length > maxPromptLength) {
      throw new IllegalArgumentException(
          pair.origin() + ": field \"prompt\": the prompt takes " + prompt.length
              + " tokens with the chat template; the budget is " + maxPromptLength);
    }
    List<ChatMessage> messages = messages(pair);
    return new EncodedPair(
        side(prompt, context, messages, pair.chosen(), pair.origin()),
        side(prompt, context, messages, pair.rejected(), pair.origin()));
  }

  /**
   * Tokenizes pairs.
   *
   * @param pairs the pairs
   * @return the encoded pairs in order
   */
  public List<EncodedPair> encodeAll(List<PreferencePair> pairs) {
    List<EncodedPair> encoded = new ArrayList<>(pairs.size());
    pairs.forEach(p -> encoded.add(encode(p)));
    return encoded;
  }

  /**
   * Pads pairs into one batch: the chosen sides, then the rejected sides in the same order.
   *
   * @param pairs the pairs of the batch
   * @param manager the manager that owns the batch's arrays
   * @return the batch, {@code (2 pairs, T)}
   */
  public PreferenceBatch collate(List<EncodedPair> pairs, NDManager manager) {
    List<EncodedExample> rows = new ArrayList<>(2 * pairs.size());
    pairs.forEach(p -> rows.add(p.chosen()));
    pairs.forEach(p -> rows.add(p.rejected()));
    return new PreferenceBatch(padding.collate(rows, manager), pairs);
  }

  private List<ChatMessage> messages(PreferencePair pair) {
    List<ChatMessage> messages = new ArrayList<>(pair.prompt());
    if (systemPrompt != null && !messages.get(0).role().equals("system")) {
      messages.add(0, ChatMessage.system(systemPrompt));
    }
    return messages;
  }

  private String context(PreferencePair pair) {
    return template.render(messages(pair), true);
  }

  /** The prompt's ids, then the answer's: what the template adds for it, with an EOS. */
  private EncodedExample side(
      int[] prompt, String context, List<ChatMessage> messages, String answer, String origin) {
    List<ChatMessage> answered = new ArrayList<>(messages);
    answered.add(ChatMessage.assistant(answer));
    String full = template.render(answered, false);
    if (!full.startsWith(context)) {
      throw new IllegalStateException(
          origin
              + ": the chat template does not render the answer after the prompt's text (the"
              + " prompt with its generation prompt is not a prefix of the answered"
              + " conversation), so the answer cannot be located");
    }
    int[] reply = tokenizer.encode(full.substring(context.length()), false);
    if (Arrays.stream(reply).noneMatch(tokenizer.specialTokens()::isEos)) {
      reply = Arrays.copyOf(reply, reply.length + 1);
      reply[reply.length - 1] = eosId;
    }
    int total = prompt.length + reply.length;
    int kept = Math.min(total, maxLength);
    int[] ids = Arrays.copyOf(prompt, kept);
    System.arraycopy(reply, 0, ids, prompt.length, kept - prompt.length);
    boolean[] trained = new boolean[kept];
    Arrays.fill(trained, prompt.length, kept, true);
    return new EncodedExample(ids, trained, total - kept, origin);
  }

  /** Builds a {@link PreferenceCollator}: a tokenizer, a chat template and a max length. */
  public static final class Builder {
    private TextTokenizer tokenizer;
    private ChatTemplate template;
    private String systemPrompt;
    private int maxLength = -1;
    private int maxPromptLength = -1;

    private Builder() {}

    public Builder setTokenizer(TextTokenizer value) {
      this.tokenizer = value;
      return this;
    }

    /** The model's chat template, which renders prompt and answers. */
    public Builder setChatTemplate(ChatTemplate value) {
      this.template = value;
      return this;
    }

    /** The most tokens a sequence (prompt and one answer) keeps; answers are cut at the end. */
    public Builder setMaxLength(int value) {
      this.maxLength = value;
      return this;
    }

    /** The most tokens a prompt may take (default half the max length, as TRL's 512 of 1024). */
    public Builder optMaxPromptLength(int value) {
      this.maxPromptLength = value;
      return this;
    }

    /** A system message put before every prompt that has none. */
    public Builder optSystemPrompt(String value) {
      this.systemPrompt = value;
      return this;
    }

    public PreferenceCollator build() {
      return new PreferenceCollator(this);
    }
  }
}
