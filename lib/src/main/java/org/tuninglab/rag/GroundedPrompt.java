package org.tuninglab.rag;

import java.util.List;
import java.util.Objects;
import org.tuninglab.chat.ChatModel;
import org.tuninglab.chat.ChatReply;
import org.tuninglab.generate.GenerationConfig;
import org.tuninglab.tokenize.ChatMessage;

/**
 * Builds the prompt of retrieval-augmented generation: a system message asking for answers from
 * the sources only, with {@code [n]} citations, and a user message holding the numbered sources
 * (each labelled with its title and heading path) and then the question:
 *
 * <pre>
 * Sources:
 *
 * [1] Storage &gt; Quotas
 * ...chunk text...
 *
 * [2] ...
 *
 * Question: How much scratch space do I get?
 * </pre>
 */
public final class GroundedPrompt {
  /** The default system instructions. */
  public static final String INSTRUCTIONS =
      "Answer the question using only the numbered sources. Cite the sources that support each"
          + " statement as [n], for example [1] or [2][3]. If the sources do not contain the"
          + " answer, say that you do not know.";

  private final String instructions;

  private GroundedPrompt(Builder b) {
    this.instructions = b.instructions;
  }

  /** The prompt with the default instructions. */
  public static GroundedPrompt create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds the messages.
   *
   * @param question the user's question
   * @param sources the sources, numbered from 1 in this order
   * @return a system message and a user message
   */
  public List<ChatMessage> messages(String question, List<Chunk> sources) {
    Objects.requireNonNull(question, "question");
    StringBuilder user = new StringBuilder("Sources:\n\n");
    for (int i = 0; i < sources.size(); i++) {
      Chunk c = sources.get(i);
      user.append('[').append(i + 1).append("] ").append(c.label()).append('\n')
          .append(c.text().strip()).append("\n\n");
    }
    if (sources.isEmpty()) {
      user.append("(none)\n\n");
    }
    user.append("Question: ").append(question.strip());
    return List.of(ChatMessage.system(instructions), ChatMessage.user(user.toString()));
  }

  /**
   * Retrieves sources, asks the model, and checks the reply's citations.
   *
   * @param model the chat model
   * @param retriever where sources come from
   * @param question the question
   * @param k how many sources
   * @param config how the model decodes
   * @return the answer, its sources and its citation check
   */
  public GroundedAnswer answer(ChatModel model, Retriever retriever, String question, int k,
      GenerationConfig config) {
    List<ScoredChunk> sources = retriever.retrieve(question, k);
    List<Chunk> chunks = sources.stream().map(ScoredChunk::chunk).toList();
    ChatReply reply = model.chat(messages(question, chunks), config);
    return new GroundedAnswer(question, sources, reply,
        CitationCheck.of(reply.text(), sources.size()));
  }

  /** Builds a {@link GroundedPrompt}. */
  public static final class Builder {
    private String instructions = INSTRUCTIONS;

    private Builder() {}

    /** The system message (default {@link #INSTRUCTIONS}). */
    public Builder optInstructions(String instructions) {
      this.instructions = Objects.requireNonNull(instructions, "instructions");
      return this;
    }

    public GroundedPrompt build() {
      return new GroundedPrompt(this);
    }
  }
}
