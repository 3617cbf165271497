package org.tuninglab.rag;

import java.util.List;
import org.tuninglab.chat.ChatReply;

/**
 * A question answered from retrieved sources.
 *
 * @param question the question
 * @param sources the retrieved chunks, source {@code [n]} at index {@code n - 1}
 * @param reply the model's reply
 * @param citations what the reply cites
 */
public record GroundedAnswer(
    String question, List<ScoredChunk> sources, ChatReply reply, CitationCheck citations) {
  public GroundedAnswer {
    sources = List.copyOf(sources);
  }
}
