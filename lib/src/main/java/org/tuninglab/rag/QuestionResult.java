package org.tuninglab.rag;

import java.util.List;

/**
 * How retrieval did on one labelled question.
 *
 * @param id the question's id
 * @param question the question
 * @param firstRelevantRank the 1-based rank of the first relevant chunk in the top k, 0 if none
 * @param recall the fraction of the question's relevant ids that the top k cover
 * @param retrieved the ids of the top k chunks, best first
 */
public record QuestionResult(
    String id, String question, int firstRelevantRank, double recall, List<String> retrieved) {
  public QuestionResult {
    retrieved = List.copyOf(retrieved);
  }

  /** {@code 1 / firstRelevantRank}, or 0 when nothing relevant was retrieved. */
  public double reciprocalRank() {
    return firstRelevantRank == 0 ? 0 : 1.0 / firstRelevantRank;
  }

  /** Whether anything relevant is in the top k. */
  public boolean hit() {
    return firstRelevantRank > 0;
  }
}
