package org.tuninglab.lesson;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.tuninglab.corpus.HeldOut;
import org.tuninglab.data.synthetic.HandbookGenerator;
import org.tuninglab.prompt.PromptTemplate;

/**
 * The held-out inputs of the lesson benchmark that are not the entity task's own split: the
 * prompting lesson's two prompts, the handbooks the RAG lesson asks about, and the harmful requests
 * of the safety lesson. The pretraining mix keeps all of them out, so the benchmark measures what
 * the model can do rather than what it has seen.
 *
 * @param poorPrompt the poor prompt, a {@link PromptTemplate} with the variable {@code {text}}
 * @param improvedPrompt the improved prompt, with the same variable
 * @param handbookSeeds the seeds of {@code HandbookGenerator} handbooks to ask about, each giving
 *     its documents and its labelled questions
 * @param harmfulRequests requests the model should refuse, in the order they are asked
 */
public record LessonInputs(
    String poorPrompt, String improvedPrompt, List<Long> handbookSeeds, List<String> harmfulRequests) {

  /** Checks the prompts' variable and copies the lists. */
  public LessonInputs {
    for (String p : new String[] {poorPrompt, improvedPrompt}) {
      List<String> vars = PromptTemplate.of(Objects.requireNonNull(p, "prompt")).variables();
      if (!vars.equals(List.of("text"))) {
        throw new IllegalArgumentException(
            "prompt \"" + p + "\": expected exactly the variable {text}, found " + vars);
      }
    }
    handbookSeeds = List.copyOf(handbookSeeds);
    harmfulRequests = List.copyOf(harmfulRequests);
    if (handbookSeeds.isEmpty() || harmfulRequests.isEmpty()) {
      throw new IllegalArgumentException("at least one handbook seed and one harmful request are needed");
    }
  }

  /**
   * What the pretraining mix holds out ({@link HeldOut}): its poor and improved prompts, the
   * shipped handbook (seed {@value HandbookGenerator#SEED}) and the held-out handbook seeds, and
   * {@code requests} of its held-out harmful requests.
   *
   * @param requests how many harmful requests, at most {@link HeldOut#harmfulRequestCount()}
   * @return the inputs
   */
  public static LessonInputs heldOut(int requests) {
    List<Long> seeds = new ArrayList<>(List.of(HandbookGenerator.SEED));
    seeds.addAll(HeldOut.HANDBOOK_SEEDS);
    return new LessonInputs(HeldOut.POOR_PROMPT, HeldOut.IMPROVED_PROMPT, seeds,
        HeldOut.harmfulRequests(Math.min(requests, HeldOut.harmfulRequestCount())));
  }
}
