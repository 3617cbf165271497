package org.tuninglab.lesson;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.tuninglab.data.PromptCompletion;
import org.tuninglab.data.Split;

/**
 * Label noise, made on purpose and the same on every machine: a fraction of the examples get
 * another example's completion. The examples to spoil are the first {@code round(fraction × n)}
 * of a seeded shuffle of the positions ({@link Split#shuffled}); each takes the completion of the
 * next one chosen, the last the first's (a rotation), so the corrupted answers are well-formed
 * JSON naming entities that are not in the text (misaligned rows, the commonest defect of a
 * hand-built data set). An example whose completion happens to equal the one it receives is left
 * as it was and not counted.
 *
 * @param fraction the share of examples to spoil, in [0, 1]
 * @param seed the shuffle's seed
 */
public record Corruption(double fraction, long seed) {

  /**
   * The examples after corruption.
   *
   * @param examples the training examples, in the clean set's order
   * @param corrupted the positions whose completion was replaced, ascending
   */
  public record Result(List<PromptCompletion> examples, List<Integer> corrupted) {
    /** Copies the lists. */
    public Result {
      examples = List.copyOf(examples);
      corrupted = List.copyOf(corrupted);
    }
  }

  /** Checks the fraction. */
  public Corruption {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("corruption fraction " + fraction + ": expected a number in [0, 1]");
    }
  }

  /**
   * Spoils the examples.
   *
   * @param examples the clean examples
   * @return the same examples, a fraction with another example's completion
   */
  public Result apply(List<PromptCompletion> examples) {
    int count = (int) Math.round(fraction * examples.size());
    List<Integer> chosen =
        Split.shuffled(IntStream.range(0, examples.size()).boxed().toList(), seed).subList(0, count);
    List<PromptCompletion> out = new ArrayList<>(examples);
    List<Integer> changed = new ArrayList<>();
    for (int i = 0; i < chosen.size(); i++) {
      PromptCompletion clean = examples.get(chosen.get(i));
      String wrong = examples.get(chosen.get((i + 1) % chosen.size())).completion();
      if (!wrong.equals(clean.completion())) {
        out.set(chosen.get(i), new PromptCompletion(clean.prompt(), wrong, clean.fields(), clean.origin()));
        changed.add(chosen.get(i));
      }
    }
    changed.sort(null);
    return new Result(out, changed);
  }
}
