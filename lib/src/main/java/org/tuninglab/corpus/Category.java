package org.tuninglab.corpus;

import java.util.List;
import java.util.SplittableRandom;
import org.tuninglab.data.synthetic.Lexicon;

/**
 * A kind of word an extraction pulls out of a sentence, with the JSON keys a document may name it
 * by. The key pools leave out the fine-tuning task's schema ({@link HeldOut#EXCLUDED_KEYS}), so a
 * model that answers {@code people}/{@code places}/{@code dates} has copied the keys from its
 * prompt or learnt them in fine-tuning, not in pretraining.
 */
enum Category {
  NAMES("names", List.of("names", "who", "characters", "persons", "friends")),
  TOWNS("towns", List.of("towns", "where", "cities", "locations")),
  DAYS("days", List.of("when", "days", "times", "day")),
  ANIMALS("animals", List.of("animals", "pets", "creatures")),
  THINGS("things", List.of("things", "objects", "items")),
  COLOURS("colours", List.of("colours", "colors", "shades")),
  NUMBERS("numbers", List.of("numbers", "counts", "amounts"));

  /** The colour words sentences use. */
  static final List<String> COLOUR_WORDS =
      List.of("red", "blue", "green", "yellow", "white", "black", "brown", "pink", "orange", "grey");

  private final String description;
  private final List<String> keys;

  Category(String description, List<String> keys) {
    this.description = description;
    this.keys = keys;
  }

  /** How an instruction names the category ("the towns"). */
  String description() {
    return description;
  }

  /** The JSON keys a document may use for it. */
  List<String> keys() {
    return keys;
  }

  /** One of its keys. */
  String key(SplittableRandom rng) {
    return Lexicon.pick(keys, rng);
  }
}
