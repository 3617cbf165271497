package org.tuninglab.data;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.tuninglab.score.TokenBatch;
import org.tuninglab.score.TokenBatches;
import org.tuninglab.score.TokenCrossEntropy;
import org.tuninglab.tokenize.ChatMessage;
import org.tuninglab.tokenize.ChatTemplate;
import org.tuninglab.tokenize.ChatTemplateException;
import org.tuninglab.tokenize.SpecialTokens;
import org.tuninglab.tokenize.TextTokenizer;

/**
 * Turns examples into token ids with completion-only labels and collates them into padded batches.
 *
 * <p>With a chat template, a conversation is rendered one turn at a time: the text up to an
 * assistant turn's generation prompt is context, the text the assistant turn adds (its content and
 * the end-of-turn token) is trained. Training the end-of-turn token is what teaches the model to
 * stop. Padding is masked by position, never by token id, so a tokenizer whose pad id equals its
 * EOS id still trains the EOS that ends a completion.
 */
public final class SftCollator {
  private final TextTokenizer tokenizer;
  private final ChatTemplate template;
  private final String systemPrompt;
  private final int maxLength;
  private final int padId;
  private final int eosId;

  private SftCollator(Builder b) {
    this.tokenizer = Objects.requireNonNull(b.tokenizer, "setTokenizer is required");
    this.template = b.template;
    this.systemPrompt = b.systemPrompt;
    if (b.maxLength < 2) {
      throw new IllegalArgumentException("setMaxLength must be at least 2, got " + b.maxLength);
    }
    this.maxLength = b.maxLength;
    SpecialTokens special = tokenizer.specialTokens();
    if (special.eos().isEmpty()) {
      throw new IllegalArgumentException("the tokenizer has no EOS token; a completion could not end");
    }
    this.eosId = special.eos().iterator().next();
    this.padId = special.pad().orElse(eosId);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the id used for padding.
   *
   * @return the pad id
   */
  public int padId() {
    return padId;
  }

  /**
   * Tokenizes one example and truncates it to the max length.
   *
   * @param example the example
   * @return the ids, trained flags and the count of cut tokens
   */
  public EncodedExample encode(Example example) {
    List<int[]> pieces = new ArrayList<>();
    List<Boolean> trainedPieces = new ArrayList<>();
    if (template != null) {
      renderPieces(messages(example), example.origin(), pieces, trainedPieces);
    } else if (example instanceof PromptCompletion pc) {
      String context = systemPrompt == null ? pc.prompt() : systemPrompt + "\n\n" + pc.prompt();
      pieces.add(tokenizer.encode(context, true));
      trainedPieces.add(false);
      pieces.add(tokenizer.encode(pc.completion(), false));
      trainedPieces.add(true);
    } else {
      throw new IllegalStateException(
          example.origin() + ": a conversation needs a chat template; set one with optChatTemplate");
    }
    int total = 0;
    for (int i = 0; i < pieces.size(); i++) {
      if (trainedPieces.get(i) && Arrays.stream(pieces.get(i)).noneMatch(tokenizer.specialTokens()::isEos)) {
        int[] withEos = Arrays.copyOf(pieces.get(i), pieces.get(i).length + 1);
        withEos[withEos.length - 1] = eosId;
        pieces.set(i, withEos);
      }
      total += pieces.get(i).length;
    }
    int kept = Math.min(total, maxLength);
    int[] ids = new int[kept];
    boolean[] trained = new boolean[kept];
    int at = 0;
    for (int i = 0; i < pieces.size() && at < kept; i++) {
      int[] piece = pieces.get(i);
      int n = Math.min(piece.length, kept - at);
      System.arraycopy(piece, 0, ids, at, n);
      Arrays.fill(trained, at, at + n, trainedPieces.get(i));
      at += n;
    }
    return new EncodedExample(ids, trained, total - kept, example.origin());
  }

  /**
   * Tokenizes a data set, leaving out examples whose trained tokens were all cut.
   *
   * @param examples the examples
   * @return the encoded examples and a report of what truncation cut
   */
  public EncodedDataset encodeAll(List<? extends Example> examples) {
    List<EncodedExample> kept = new ArrayList<>();
    List<String> lost = new ArrayList<>();
    int truncated = 0;
    long cut = 0;
    for (Example e : examples) {
      EncodedExample encoded = encode(e);
      if (encoded.cutTokens() > 0) {
        truncated++;
        cut += encoded.cutTokens();
      }
      if (encoded.trainedCount() == 0) {
        lost.add(e.origin());
      } else {
        kept.add(encoded);
      }
    }
    return new EncodedDataset(kept, new TruncationReport(truncated, cut, lost));
  }

  /**
   * A data set's batches in order, each collated when it is scored.
   *
   * @param data the examples
   * @param batchSize examples per batch (the last may hold fewer)
   * @return the batches
   */
  public TokenBatches batches(EncodedDataset data, int batchSize) {
    return batches(data.examples(), batchSize);
  }

  /**
   * Examples' batches in order, each collated when it is scored.
   *
   * @param examples the examples
   * @param batchSize examples per batch (the last may hold fewer)
   * @return the batches
   */
  public TokenBatches batches(List<EncodedExample> examples, int batchSize) {
    return new TokenBatches() {
      @Override
      public int count() {
        return (examples.size() + batchSize - 1) / batchSize;
      }

      @Override
      public TokenBatch batch(int index, NDManager scope) {
        int from = index * batchSize;
        return collate(examples.subList(from, Math.min(examples.size(), from + batchSize)), scope);
      }
    };
  }

  /**
   * Pads examples on the right into one batch.
   *
   * @param examples the examples of the batch
   * @param manager the manager that owns the batch's arrays
   * @return the batch
   */
  public Batch collate(List<EncodedExample> examples, NDManager manager) {
    if (examples.isEmpty()) {
      throw new IllegalArgumentException("cannot collate an empty batch");
    }
    int rows = examples.size();
    int width = examples.stream().mapToInt(EncodedExample::length).max().orElseThrow();
    long[] ids = new long[rows * width];
    long[] mask = new long[rows * width];
    long[] labels = new long[rows * width];
    Arrays.fill(ids, padId);
    Arrays.fill(labels, TokenCrossEntropy.IGNORE);
    int trained = 0;
    for (int r = 0; r < rows; r++) {
      EncodedExample e = examples.get(r);
      long[] shifted = e.labels();
      for (int t = 0; t < e.length(); t++) {
        ids[r * width + t] = e.ids()[t];
        mask[r * width + t] = 1;
        labels[r * width + t] = shifted[t];
        trained += shifted[t] == TokenCrossEntropy.IGNORE ? 0 : 1;
      }
    }
    Shape shape = new Shape(rows, width);
    return new Batch(
        manager.create(ids, shape), // (B, T)
        manager.create(mask, shape), // (B, T)
        manager.create(labels, shape), // (B, T)
        trained);
  }

  private List<ChatMessage> messages(Example example) {
    List<ChatMessage> messages = new ArrayList<>();
    if (example instanceof PromptCompletion pc) {
      messages.add(ChatMessage.user(pc.prompt()));
      messages.add(ChatMessage.assistant(pc.completion()));
    } else {
      messages.addAll(((Conversation) example).messages());
    }
    if (systemPrompt != null && !messages.get(0).role().equals("system")) {
      messages.add(0, ChatMessage.system(systemPrompt));
    }
    return messages;
  }

  /** Splits a rendered conversation into context and trained pieces, turn by turn. */
  private void renderPieces(
      List<ChatMessage> messages, String origin, List<int[]> pieces, List<Boolean> trained) {
    String done = "";
    for (int i = 0; i < messages.size(); i++) {
      if (!messages.get(i).role().equals("assistant")) {
        continue;
      }
      String prompt = render(messages.subList(0, i), true, origin);
      String answered = render(messages.subList(0, i + 1), false, origin);
      addPiece(done, prompt, false, origin, pieces, trained);
      addPiece(prompt, answered, true, origin, pieces, trained);
      done = answered;
    }
    addPiece(done, render(messages, false, origin), false, origin, pieces, trained);
  }

  /** A template failure names the record (file and line) it happened on. */
  private String render(List<ChatMessage> messages, boolean addGenerationPrompt, String origin) {
    try {
      return template.render(messages, addGenerationPrompt);
    } catch (ChatTemplateException e) {
      throw new ChatTemplateException(origin + ": " + e.getMessage(), e);
    }
  }

  private void addPiece(
      String before, String after, boolean isTrained, String origin, List<int[]> pieces, List<Boolean> trained) {
    if (!after.startsWith(before)) {
      throw new IllegalStateException(
          origin
              + ": the chat template does not render the conversation turn by turn (a shorter"
              + " conversation's text is not a prefix of the longer one's), so the completion"
              + " cannot be located");
    }
    String piece = after.substring(before.length());
    if (!piece.isEmpty()) {
      pieces.add(tokenizer.encode(piece, false));
      trained.add(isTrained);
    }
  }

  /** Builds an {@link SftCollator}: a tokenizer and max length are required. */
  public static final class Builder {
    private TextTokenizer tokenizer;
    private ChatTemplate template;
    private String systemPrompt;
    private int maxLength = -1;

    private Builder() {}

    public Builder setTokenizer(TextTokenizer value) {
      this.tokenizer = value;
      return this;
    }

    /** The maximum tokens an example keeps; longer ones are cut at the end. */
    public Builder setMaxLength(int value) {
      this.maxLength = value;
      return this;
    }

    /** The model's chat template; without one, prompt and completion are joined as plain text. */
    public Builder optChatTemplate(ChatTemplate value) {
      this.template = value;
      return this;
    }

    /** A system message put before every example that has none. */
    public Builder optSystemPrompt(String value) {
      this.systemPrompt = value;
      return this;
    }

    public SftCollator build() {
      return new SftCollator(this);
    }
  }
}
