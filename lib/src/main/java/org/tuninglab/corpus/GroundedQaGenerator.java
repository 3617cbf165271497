package org.tuninglab.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.tuninglab.data.synthetic.HandbookGenerator;
import org.tuninglab.rag.Chunk;
import org.tuninglab.rag.GroundedPrompt;

/**
 * Reading and grounded answering (the RAG lesson's ability): a {@link GroundedPrompt} conversation
 * with three numbered sources, one holding the answer at a random position and two distractors
 * from the same manual, answered by copying the answering sentence and citing it as {@code [n]}.
 * The manuals are cluster handbooks of other seeds than the shipped and the held-out ones (so the
 * handbook's templates are in the mix, its shipped and tested facts are not) and small town
 * manuals. One in six conversations is closed-book (no sources, or three that lack the answer) and
 * is answered with {@link #DONT_KNOW}.
 */
final class GroundedQaGenerator {
  /** The answer when the sources lack it. */
  static final String DONT_KNOW = "I do not know: the sources do not say.";

  /** Questions asked of one handbook before the next seed's. */
  private static final int QUESTIONS_PER_HANDBOOK = 10;

  private final SplittableRandom rng;
  private final GroundedPrompt prompt = GroundedPrompt.create();
  private long handbookSeed;
  private Manual handbook;
  private int asked;

  /**
   * A generator.
   *
   * @param seed the seed of its choices
   * @param firstHandbookSeed the first handbook seed; later ones count up, skipping held-out seeds
   */
  GroundedQaGenerator(long seed, long firstHandbookSeed) {
    this.rng = new SplittableRandom(seed);
    this.handbookSeed = firstHandbookSeed - 1;
  }

  /** The next conversation, rendered as pretraining text. */
  String next() {
    int kind = rng.nextInt(6);
    Manual manual = kind < 3 ? nextHandbookQuestion() : TownManualGenerator.next(rng);
    Manual.Question q = manual.questions().get(rng.nextInt(manual.questions().size()));
    Chunk answer = manual.chunks().stream().filter(c -> c.id().equals(q.chunkId())).findFirst()
        .orElseThrow();
    List<Chunk> others = new ArrayList<>(manual.chunks());
    others.remove(answer);
    List<Chunk> sources = new ArrayList<>();
    for (int i = 0; i < 3 && !others.isEmpty(); i++) {
      sources.add(others.remove(rng.nextInt(others.size())));
    }
    if (kind == 5) {
      // Closed book: no sources, or only distractors.
      List<Chunk> shown = rng.nextBoolean() ? List.of() : sources;
      return ChatText.of(prompt.messages(q.question(), shown), DONT_KNOW);
    }
    int at = rng.nextInt(3);
    sources = new ArrayList<>(sources.subList(0, 2));
    sources.add(at, answer);
    return ChatText.of(prompt.messages(q.question(), sources),
        q.sentence() + " [" + (at + 1) + "]");
  }

  private Manual nextHandbookQuestion() {
    if (handbook == null || asked == QUESTIONS_PER_HANDBOOK) {
      do {
        handbookSeed++;
      } while (handbookSeed == HandbookGenerator.SEED
          || HeldOut.HANDBOOK_SEEDS.contains(handbookSeed));
      handbook = HandbookManual.of(handbookSeed);
      asked = 0;
    }
    asked++;
    return handbook;
  }
}
