package org.tuninglab.data.synthetic;

import static org.tuninglab.data.synthetic.Lexicon.capitalise;
import static org.tuninglab.data.synthetic.Lexicon.jsonList;
import static org.tuninglab.data.synthetic.Lexicon.pick;
import static org.tuninglab.data.synthetic.Lexicon.some;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.tuninglab.data.synthetic.Lexicon.Person;

/**
 * A seeded generator of entity-extraction examples: a short text in one of four styles (the {@code
 * domain}) and, as the completion, the people, towns and dates it mentions as one line of JSON, in
 * order of first mention. Common places ("the park") and numbers are distractors, not entities.
 * Holding out one domain ({@code Split.byField}) gives an out-of-distribution test.
 */
final class EntityTaskGenerator {
  /** The styles of text, each a value of the {@code domain} field. */
  static final List<String> DOMAINS = List.of("story", "note", "news", "letter");

  /** One example: the text, its entities as JSON, and its style. */
  record Item(String prompt, String completion, String domain) {}

  private final SplittableRandom rng;

  EntityTaskGenerator(long seed) {
    this.rng = new SplittableRandom(seed);
  }

  /** The next example in the given domain. */
  Item next(String domain) {
    Set<String> people = new LinkedHashSet<>();
    Set<String> places = new LinkedHashSet<>();
    Set<String> dates = new LinkedHashSet<>();
    Person a = pick(Lexicon.PEOPLE, rng);
    Person b = Lexicon.other(a, rng);
    String town = pick(Lexicon.TOWNS, rng);
    String otherTown = pick(Lexicon.TOWNS, rng);
    String date = Lexicon.date(rng);
    String place = pick(Lexicon.PLACES, rng);
    int count = 1 + rng.nextInt(6);
    String thing = some(pick(Lexicon.OBJECTS, rng), count, pick(Lexicon.ADJECTIVES, rng));
    String text;
    switch (domain) {
      case "story" -> {
        text =
            switch (rng.nextInt(3)) {
              case 0 ->
                  mention("On " + date + ", ", dates, date)
                      + name(a, people)
                      + " and "
                      + name(b, people)
                      + " walked to "
                      + place
                      + " in "
                      + name(town, places)
                      + ".";
              case 1 ->
                  name(a, people)
                      + " found "
                      + thing
                      + " near "
                      + place
                      + " in "
                      + name(town, places)
                      + ". "
                      + capitalise(a.subject())
                      + (count == 1 ? " gave it to " : " gave them to ")
                      + name(b, people)
                      + ".";
              default ->
                  name(a, people)
                      + " lived in "
                      + name(town, places)
                      + ". On "
                      + mention(date, dates, date)
                      + ", "
                      + a.subject()
                      + " visited "
                      + name(otherTown, places)
                      + ".";
            };
      }
      case "note" -> {
        text =
            switch (rng.nextInt(3)) {
              case 0 ->
                  "Reminder: meet "
                      + name(a, people)
                      + " at "
                      + place
                      + " in "
                      + name(town, places)
                      + " on "
                      + mention(date, dates, date)
                      + " "
                      + pick(Lexicon.TIMES, rng)
                      + ".";
              case 1 ->
                  "To do: buy "
                      + thing
                      + " for "
                      + name(a, people)
                      + " before "
                      + mention(date, dates, date)
                      + ".";
              default ->
                  "Call "
                      + name(a, people)
                      + " and "
                      + name(b, people)
                      + " about the trip to "
                      + name(town, places)
                      + ".";
            };
      }
      case "news" -> {
        text =
            switch (rng.nextInt(3)) {
              case 0 ->
                  name(town, places)
                      + ", "
                      + mention(date, dates, date)
                      + ". The new library "
                      + "was opened by "
                      + name(a, people)
                      + ", who read a book to the children.";
              case 1 ->
                  "A "
                      + pick(Lexicon.ANIMALS, rng).one()
                      + " was seen at "
                      + place
                      + " in "
                      + name(town, places)
                      + ". "
                      + name(a, people)
                      + " took a photo of it.";
              default ->
                  "The train from "
                      + name(town, places)
                      + " to "
                      + name(otherTown, places)
                      + " will not run on "
                      + mention(date, dates, date)
                      + ", said "
                      + name(a, people)
                      + ".";
            };
      }
      case "letter" -> {
        text =
            switch (rng.nextInt(2)) {
              case 0 ->
                  "Dear "
                      + name(a, people)
                      + ", I will visit you in "
                      + name(town, places)
                      + " on "
                      + mention(date, dates, date)
                      + ". Love, "
                      + name(b, people);
              default ->
                  "Dear "
                      + name(a, people)
                      + ", thank you for "
                      + thing
                      + ". See you at "
                      + place
                      + ". Yours, "
                      + name(b, people);
            };
      }
      default ->
          throw new IllegalArgumentException("unknown domain " + domain + "; one of " + DOMAINS);
    }
    return new Item(text, json(people, places, dates), domain);
  }

  private static String name(Person p, Set<String> people) {
    people.add(p.name());
    return p.name();
  }

  private static String name(String town, Set<String> places) {
    places.add(town);
    return town;
  }

  private static String mention(String text, Set<String> dates, String date) {
    dates.add(date);
    return text;
  }

  /** {@code {"people": ["Anna"], "places": [], "dates": ["May 3"]}}: one fixed layout. */
  static String json(Set<String> people, Set<String> places, Set<String> dates) {
    return "{\"people\": "
        + jsonList(people)
        + ", \"places\": "
        + jsonList(places)
        + ", \"dates\": "
        + jsonList(dates)
        + "}";
  }
}
