package org.tuninglab.corpus;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.tuninglab.data.synthetic.Lexicon;
import org.tuninglab.prompt.ExampleSelection;
import org.tuninglab.prompt.FewShotBuilder;
import org.tuninglab.prompt.FewShotExample;

/**
 * Few-shot extraction chats (the few-shot lesson's ability): one to four worked examples as earlier
 * user/assistant turns, built by {@link FewShotBuilder}, then a query whose answer follows the
 * examples: the words of two or three categories pulled out of a sentence into one line of JSON.
 * In the mix the keys are drawn per chat from {@link Category}'s pools and the lists come in any
 * order; the instruction line is drawn from a pool too, and is sometimes absent, so the examples
 * carry the task. A model trained on that alone learnt the pools rather than to copy: after
 * examples keyed {@code "people"} it wrote its own {@code "persons"}. The practice set's chats
 * ({@code listsInOrder}) therefore coin nine keys in ten or take unrelated words, keep the lists in
 * {@link Category}'s order, and pick the examples most similar to the query from a few candidates,
 * as the few-shot lesson does. With half the keys coined, most chats still named a list by its
 * pool and the model learnt little of reading a key off the examples (docs/embedded-model.md).
 */
final class FewShotExtractionGenerator {
  /** The input templates; {@code {input}} is the sentence. */
  static final List<String> INPUT_TEMPLATES =
      List.of(
          "{input}",
          "Text: {input}",
          "Extract from this text: \"{input}\"",
          "Pull the words out of \"{input}\"",
          "Sentence: {input}\nJSON:",
          "Read \"{input}\" and fill in the JSON.");

  /**
   * Words of the corpus that practice chats use as keys unrelated to what their lists hold, so that
   * a key of any shape, not only a coined one, is copied from the examples and filled as they show.
   */
  static final List<String> WORD_KEYS =
      List.of("market", "park", "library", "beach", "school", "station", "garden", "farm",
          "harbour", "museum", "forest", "river", "hill", "square", "bridge", "pond", "happy",
          "tired", "hungry", "proud", "sleepy", "glad", "calm", "soup", "bread", "rice", "cheese",
          "fish", "salad", "shiny", "wooden", "soft", "heavy", "little", "round", "small", "big",
          "old", "new", "lamp", "bell", "shell");

  /**
   * Candidates per practice example, of which the most similar to the query are shown, as the
   * few-shot lesson picks them: its examples often share a name or a town with the query, and the
   * model must learn to file a shared word as the examples do, not copy the examples' lists.
   */
  private static final int CANDIDATES_PER_SHOT = 4;

  /** Sentences drawn per practice example; the one filling the most of the chat's lists is kept. */
  private static final int EXAMPLE_DRAWS = 4;

  private final SplittableRandom rng;
  private final boolean listsInOrder;

  /**
   * A generator.
   *
   * @param seed the seed
   * @param listsInOrder whether the lists come in {@link Category}'s order, with each key coined or
   *     an unrelated word nine times in ten and the examples picked by similarity (the practice set),
   *     rather than in any order with pool keys and the examples as drawn (the mix)
   */
  FewShotExtractionGenerator(long seed, boolean listsInOrder) {
    this.rng = new SplittableRandom(seed);
    this.listsInOrder = listsInOrder;
  }

  /** The next chat, rendered as pretraining text. */
  String next() {
    int shots = 1 + rng.nextInt(4);
    List<TaggedText> texts = new ArrayList<>();
    // The mix draws its examples before the query; the practice set draws candidates after it.
    for (int i = 0; i < (listsInOrder ? 0 : shots); i++) {
      texts.add(TaggedSentences.next(rng));
    }
    TaggedText query = TaggedSentences.next(rng);
    List<Category> categories = categories(query, rng);
    if (listsInOrder) {
      Collections.sort(categories);
      for (int i = 0; i < CANDIDATES_PER_SHOT * shots; i++) {
        texts.add(example(categories, rng));
      }
    }
    List<String> keys = keys(categories, listsInOrder, rng);
    List<FewShotExample> examples = new ArrayList<>();
    for (TaggedText t : texts) {
      examples.add(new FewShotExample(t.text(), t.json(categories, keys)));
    }
    FewShotBuilder builder =
        FewShotBuilder.builder()
            .setExamples(examples)
            .setK(shots)
            .optSelection(listsInOrder ? ExampleSelection.BY_SIMILARITY : ExampleSelection.IN_ORDER)
            .optInputTemplate(Lexicon.pick(INPUT_TEMPLATES, rng))
            .build();
    return ChatText.of(builder.messages(query.text()), query.json(categories, keys));
  }

  /**
   * Two or three distinct categories in random order, drawn first from those the text mentions, so
   * most answers have words to copy (as the entity task's mostly do) and some lists are empty.
   */
  static List<Category> categories(TaggedText text, SplittableRandom rng) {
    List<Category> mentioned = new ArrayList<>();
    List<Category> absent = new ArrayList<>();
    for (Category c : Category.values()) {
      (text.words(c).isEmpty() ? absent : mentioned).add(c);
    }
    List<Category> out = new ArrayList<>();
    int n = 2 + rng.nextInt(2);
    while (out.size() < n) {
      boolean fromMentioned = !mentioned.isEmpty() && (absent.isEmpty() || rng.nextInt(5) != 0);
      List<Category> from = fromMentioned ? mentioned : absent;
      out.add(from.remove(rng.nextInt(from.size())));
    }
    return out;
  }

  /**
   * An example sentence that shows what the lists hold: of {@value #EXAMPLE_DRAWS} drawn, the first
   * with words in the most of {@code categories} (a coined key says nothing of its category).
   */
  static TaggedText example(List<Category> categories, SplittableRandom rng) {
    TaggedText best = null;
    int bestFilled = -1;
    for (int i = 0; i < EXAMPLE_DRAWS; i++) {
      TaggedText t = TaggedSentences.next(rng);
      int filled = 0;
      for (Category c : categories) {
        filled += t.words(c).isEmpty() ? 0 : 1;
      }
      if (filled > bestFilled) {
        best = t;
        bestFilled = filled;
      }
    }
    return best;
  }

  /** A key for each category from its pool, no two alike. */
  static List<String> keys(List<Category> categories, SplittableRandom rng) {
    return keys(categories, false, rng);
  }

  /**
   * A key for each category, no two alike: from its pool, or if {@code coin} nine times in ten a
   * coined key or a word of {@link #WORD_KEYS} instead.
   */
  static List<String> keys(List<Category> categories, boolean coin, SplittableRandom rng) {
    List<String> keys = new ArrayList<>();
    for (Category c : categories) {
      String key;
      do {
        key = !coin || rng.nextInt(10) == 0 ? c.key(rng)
            : rng.nextBoolean() ? CoinedNames.key(rng) : Lexicon.pick(WORD_KEYS, rng);
      } while (keys.contains(key));
      keys.add(key);
    }
    return keys;
  }
}
