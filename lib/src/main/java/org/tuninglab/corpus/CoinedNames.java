package org.tuninglab.corpus;

import static org.tuninglab.data.synthetic.Lexicon.pick;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.tuninglab.data.synthetic.Lexicon;
import org.tuninglab.data.synthetic.Lexicon.Person;

/**
 * Names made up from syllables ({@code Toravel}, {@code Mirkstead}), drawn half the time in place
 * of {@link Lexicon}'s closed lists. A model cannot guess a name it has never seen, so the only way
 * to predict one where it comes back (in an answer, a JSON list, a later sentence) is to copy it
 * from earlier in the context: the induction the lessons' reading and extraction rely on. With 30
 * lexicon names the first mixed model got most names right by guessing and never learnt to copy.
 */
final class CoinedNames {
  private static final List<String> ONSETS =
      List.of("b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr",
          "gr", "kr", "tr", "st", "sh", "th", "j", "h");
  private static final List<String> VOWELS =
      List.of("a", "e", "i", "o", "u", "a", "e", "o", "ai", "ei", "ou", "ia");
  private static final List<String> CODAS =
      List.of("", "", "", "n", "r", "l", "s", "k", "m", "th");
  private static final List<String> TOWN_ENDINGS =
      List.of("ford", "ton", "wick", "ham", "by", "mouth", "dale", "stead", "field", "holm");

  private CoinedNames() {}

  /** A person: a coined first name half the time, else a lexicon one. */
  static Person person(SplittableRandom rng) {
    if (rng.nextBoolean()) {
      return pick(Lexicon.PEOPLE, rng);
    }
    String name = word(2 + rng.nextInt(2), rng);
    return rng.nextBoolean()
        ? new Person(name, "she", "her", "her")
        : new Person(name, "he", "him", "his");
  }

  /** A person other than {@code not}. */
  static Person other(Person not, SplittableRandom rng) {
    Person p;
    do {
      p = person(rng);
    } while (p.name().equals(not.name()));
    return p;
  }

  /** A town: a coined one half the time, else a lexicon one. */
  static String town(SplittableRandom rng) {
    return rng.nextBoolean() ? pick(Lexicon.TOWNS, rng) : word(1 + rng.nextInt(2), rng)
        + pick(TOWN_ENDINGS, rng);
  }

  /** A surname: always coined, two syllables. */
  static String surname(SplittableRandom rng) {
    return word(2, rng);
  }

  /**
   * A JSON key made up for one chat: a lowercase coined word of one or two syllables, never one of
   * the fine-tuning task's keys ({@link HeldOut#EXCLUDED_KEYS}).
   */
  static String key(SplittableRandom rng) {
    String key;
    do {
      key = word(rng.nextInt(3) == 0 ? 1 : 2, rng).toLowerCase(Locale.ROOT);
    } while (key.length() < 3 || HeldOut.EXCLUDED_KEYS.contains(key));
    return key;
  }

  /** A capitalised word of {@code syllables} syllables. */
  private static String word(int syllables, SplittableRandom rng) {
    StringBuilder w = new StringBuilder();
    for (int i = 0; i < syllables; i++) {
      w.append(pick(ONSETS, rng)).append(pick(VOWELS, rng));
      if (i == syllables - 1 || rng.nextInt(3) == 0) {
        w.append(pick(CODAS, rng));
      }
    }
    return Character.toUpperCase(w.charAt(0)) + w.substring(1);
  }
}
