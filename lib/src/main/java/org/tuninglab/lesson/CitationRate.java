package org.tuninglab.lesson;

import java.util.List;
import java.util.Locale;
import org.tuninglab.eval.ExampleReply;
import org.tuninglab.rag.CitationCheck;

/**
 * What a set of grounded answers cite ({@link CitationCheck}): how many answered, how many cite a
 * source at all, and how many cite only sources the prompt gave.
 *
 * @param replies the grounded prompts asked
 * @param unanswered prompts the model could not answer (they did not fit its context)
 * @param citing answers that cite at least one number
 * @param valid answers that cite, and only sources that exist
 */
public record CitationRate(int replies, int unanswered, int citing, int valid) {

  /**
   * Checks each answer's citations.
   *
   * @param replies the grounded answers (a failed one counts as unanswered)
   * @param sources how many sources each prompt gave
   * @return the counts
   */
  public static CitationRate of(List<ExampleReply> replies, int sources) {
    int unanswered = 0;
    int citing = 0;
    int valid = 0;
    for (ExampleReply r : replies) {
      if (r.failed()) {
        unanswered++;
        continue;
      }
      CitationCheck check = CitationCheck.of(r.reply(), sources);
      citing += check.citesAny() ? 1 : 0;
      valid += check.valid() ? 1 : 0;
    }
    return new CitationRate(replies.size(), unanswered, citing, valid);
  }

  /** {@code 40 grounded answers: 12 cite a source, 10 only sources they were given (3 did not fit the context)}. */
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%d grounded answers: %d cite a source, %d only sources they were given%s",
        replies, citing, valid, unanswered == 0 ? "" : " (" + unanswered + " prompts did not fit the context)");
  }
}
