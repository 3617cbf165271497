package org.tuninglab.corpus;

import static org.tuninglab.data.synthetic.Lexicon.pick;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.tuninglab.data.synthetic.Lexicon;
import org.tuninglab.data.synthetic.Lexicon.Noun;
import org.tuninglab.data.synthetic.Lexicon.Person;

/**
 * Story-like sentences that mention names, towns, days, animals, things, colours and numbers, each
 * mention tagged as it is written, so an extraction over them is right by construction. The
 * sentence shapes are this class's own, not the entity task's notes, news or letters.
 */
final class TaggedSentences {
  private static final List<String> ANIMAL_VERBS =
      List.of("saw", "fed", "counted", "drew", "followed", "found");
  private static final List<String> THING_VERBS =
      List.of("found", "bought", "lost", "painted", "carried", "sold", "made");

  private final SplittableRandom rng;
  private final StringBuilder text = new StringBuilder();
  private final List<TaggedText.Mention> mentions = new ArrayList<>();

  private TaggedSentences(SplittableRandom rng) {
    this.rng = rng;
  }

  /** One or two sentences. */
  static TaggedText next(SplittableRandom rng) {
    TaggedSentences s = new TaggedSentences(rng);
    int sentences = 1 + rng.nextInt(2);
    for (int i = 0; i < sentences; i++) {
      s.text.append(i == 0 ? "" : " ");
      s.sentence();
    }
    return new TaggedText(s.text.toString(), s.mentions);
  }

  private void sentence() {
    Person a = CoinedNames.person(rng);
    switch (rng.nextInt(6)) {
      case 0, 1 -> {
        boolean early = rng.nextInt(3) == 0;
        if (early) {
          say("On ");
          day();
          say(", ");
        }
        subject(a);
        boolean animal = rng.nextBoolean();
        say(" " + pick(animal ? ANIMAL_VERBS : THING_VERBS, rng) + " ");
        some(animal);
        if (rng.nextBoolean()) {
          say(rng.nextBoolean() ? " in " : " near ");
          town();
        }
        if (!early && rng.nextBoolean()) {
          say(" on ");
          day();
        }
      }
      case 2 -> {
        name(a);
        say(" met ");
        name(CoinedNames.other(a, rng));
        say(" in ");
        town();
        say(" on ");
        day();
      }
      case 3 -> {
        name(a);
        say(" gave ");
        name(CoinedNames.other(a, rng));
        say(" ");
        some(rng.nextBoolean());
      }
      case 4 -> {
        say("On ");
        day();
        say(", ");
        name(a);
        say(" travelled from ");
        String from = town();
        say(" to ");
        String to;
        do {
          to = CoinedNames.town(rng);
        } while (to.equals(from));
        tag(Category.TOWNS, to);
      }
      default -> {
        name(a);
        say(" has ");
        some(true);
        say(" and ");
        some(false);
      }
    }
    say(".");
  }

  private void say(String words) {
    text.append(words);
  }

  private void tag(Category category, String word) {
    text.append(word);
    mentions.add(new TaggedText.Mention(category, word));
  }

  private void name(Person p) {
    tag(Category.NAMES, p.name());
  }

  private void subject(Person a) {
    name(a);
    if (rng.nextInt(3) == 0) {
      say(" and ");
      name(CoinedNames.other(a, rng));
    }
  }

  private String town() {
    String town = CoinedNames.town(rng);
    tag(Category.TOWNS, town);
    return town;
  }

  private void day() {
    tag(Category.DAYS, Lexicon.date(rng));
  }

  /** {@code a red kite}, {@code three grey foxes}: a count, maybe a colour, and the noun. */
  private void some(boolean animal) {
    Noun noun = pick(animal ? Lexicon.ANIMALS : Lexicon.OBJECTS, rng);
    int count = rng.nextInt(3) == 0 ? 1 : 2 + rng.nextInt(11);
    String colour = rng.nextBoolean() ? pick(Category.COLOUR_WORDS, rng) : null;
    if (count == 1) {
      String next = colour == null ? noun.one() : colour;
      say("aeiou".indexOf(next.charAt(0)) >= 0 ? "an " : "a ");
    } else {
      tag(Category.NUMBERS, Lexicon.NUMBERS.get(count));
      say(" ");
    }
    if (colour != null) {
      tag(Category.COLOURS, colour);
      say(" ");
    }
    tag(animal ? Category.ANIMALS : Category.THINGS, count == 1 ? noun.one() : noun.many());
  }
}
