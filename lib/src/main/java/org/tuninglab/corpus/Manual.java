package org.tuninglab.corpus;

import java.util.List;
import org.tuninglab.rag.Chunk;

/**
 * A manual cut into sources, with questions whose answers sit in one source.
 *
 * @param chunks the sources, as {@code rag.HeadingChunker} cuts the manual's markdown
 * @param questions the questions
 */
record Manual(List<Chunk> chunks, List<Question> questions) {

  /**
   * A question and where its answer is.
   *
   * @param question the question
   * @param chunkId the id of the chunk holding the answer
   * @param sentence the sentence of that chunk that answers it (what the assistant copies)
   */
  record Question(String question, String chunkId, String sentence) {}

  Manual {
    chunks = List.copyOf(chunks);
    questions = List.copyOf(questions);
  }
}
