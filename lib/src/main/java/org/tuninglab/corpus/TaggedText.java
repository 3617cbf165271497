package org.tuninglab.corpus;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.tuninglab.data.synthetic.Lexicon;

/**
 * A short text and the words of each {@link Category} it mentions, in the order they appear.
 *
 * @param text the text
 * @param mentions the mentioned words, each with its category, in text order (repeats included)
 */
record TaggedText(String text, List<Mention> mentions) {

  /** One mentioned word. */
  record Mention(Category category, String word) {}

  TaggedText {
    mentions = List.copyOf(mentions);
  }

  /** The distinct words of a category, in order of first mention. */
  List<String> words(Category category) {
    Set<String> out = new LinkedHashSet<>();
    for (Mention m : mentions) {
      if (m.category() == category) {
        out.add(m.word());
      }
    }
    return new ArrayList<>(out);
  }

  /**
   * The extraction as one line of JSON in the entity task's style: {@code {"who": ["Anna", "Ben"],
   * "towns": []}}, a list for each key in order.
   *
   * @param categories what to extract
   * @param keys the key for each category, in the same order
   * @return the JSON line
   */
  String json(List<Category> categories, List<String> keys) {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < categories.size(); i++) {
      out.append(i == 0 ? "" : ", ")
          .append('"')
          .append(keys.get(i))
          .append("\": ")
          .append(Lexicon.jsonList(words(categories.get(i))));
    }
    return out.append('}').toString();
  }
}
