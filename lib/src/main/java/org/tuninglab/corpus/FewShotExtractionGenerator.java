package org.tuninglab.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.tuninglab.data.synthetic.Lexicon;
import org.tuninglab.prompt.FewShotBuilder;
import org.tuninglab.prompt.FewShotExample;

/**
 * Few-shot extraction chats (the few-shot lesson's ability): one to four worked examples as earlier
 * user/assistant turns, built by {@link FewShotBuilder}, then a query whose answer follows the
 * examples: the words of two or three categories pulled out of a sentence into one line of JSON.
 * The keys are drawn per chat from {@link Category}'s pools, so the only way to know them is to
 * copy them from the examples; the instruction line is drawn from a pool too, and is sometimes
 * absent, so the examples carry the task.
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

  private final SplittableRandom rng;

  FewShotExtractionGenerator(long seed) {
    this.rng = new SplittableRandom(seed);
  }

  /** The next chat, rendered as pretraining text. */
  String next() {
    int shots = 1 + rng.nextInt(4);
    List<TaggedText> texts = new ArrayList<>();
    for (int i = 0; i <= shots; i++) {
      texts.add(TaggedSentences.next(rng));
    }
    TaggedText query = texts.get(shots);
    List<Category> categories = categories(query, rng);
    List<String> keys = keys(categories, rng);
    List<FewShotExample> examples = new ArrayList<>();
    for (TaggedText t : texts.subList(0, shots)) {
      examples.add(new FewShotExample(t.text(), t.json(categories, keys)));
    }
    FewShotBuilder builder =
        FewShotBuilder.builder()
            .setExamples(examples)
            .setK(shots)
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

  /** A key for each category, no two alike. */
  static List<String> keys(List<Category> categories, SplittableRandom rng) {
    List<String> keys = new ArrayList<>();
    for (Category c : categories) {
      String key;
      do {
        key = c.key(rng);
      } while (keys.contains(key));
      keys.add(key);
    }
    return keys;
  }
}
