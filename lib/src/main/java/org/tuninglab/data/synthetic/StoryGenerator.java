package org.tuninglab.data.synthetic;

import static org.tuninglab.data.synthetic.Lexicon.capitalise;
import static org.tuninglab.data.synthetic.Lexicon.jsonList;
import static org.tuninglab.data.synthetic.Lexicon.pick;
import static org.tuninglab.data.synthetic.Lexicon.some;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.tuninglab.data.synthetic.Lexicon.Noun;
import org.tuninglab.data.synthetic.Lexicon.Person;

/**
 * A seeded grammar of short stories: an opening that sets who, where and when, three to six events,
 * and a closing. Pronouns refer back to the story's two characters and counts add up, so a model
 * that learns the corpus learns a little agreement and arithmetic besides the words.
 *
 * <p>Some events are quoted speech, and a third of the stories end with a story card in JSON that
 * lists the characters, the town and the days the story names. A real base model has read plenty
 * of quotes and JSON; without them in its corpus the embedded model would meet {@code "}, {@code
 * :}, {@code [} and <code>{</code> for the first time in the fine-tuning task, with untrained
 * embeddings, and the lesson would measure that rather than what fine-tuning teaches. The card's
 * keys are not the task's ({@code people}, {@code places}, {@code dates}): the schema is still
 * the fine-tune's to learn.
 */
public final class StoryGenerator {
  private final SplittableRandom rng;

  /** A generator whose stories follow from the seed. */
  public StoryGenerator(long seed) {
    this.rng = new SplittableRandom(seed);
  }

  /** The next story, one paragraph. */
  public String next() {
    Person a = pick(Lexicon.PEOPLE, rng);
    Person b = Lexicon.other(a, rng);
    String town = pick(Lexicon.TOWNS, rng);
    List<String> days = new ArrayList<>();
    List<String> sentences = new ArrayList<>();
    sentences.add(opening(a, b, town, days));
    int events = 3 + rng.nextInt(4);
    for (int i = 0; i < events; i++) {
      // The first event names the character; later ones may use the pronoun.
      boolean named = i == 0 || rng.nextInt(3) == 0;
      sentences.add(event(a, b, named));
    }
    sentences.add(closing(a, b));
    String story = String.join(" ", sentences);
    if (rng.nextInt(3) != 0) {
      return story;
    }
    List<String> characters = new ArrayList<>(List.of(a.name()));
    if (story.contains(b.name())) {
      characters.add(b.name());
    }
    return story + " Story card: " + card(characters, town, days);
  }

  /** <code>{"characters": ["Rosa", "David"], "town": "Elmwood", "days": ["May 3"]}</code>. */
  private static String card(List<String> characters, String town, List<String> days) {
    return "{\"characters\": "
        + jsonList(characters)
        + ", \"town\": \""
        + town
        + "\", \"days\": "
        + jsonList(days)
        + "}";
  }

  private String opening(Person a, Person b, String town, List<String> days) {
    return switch (rng.nextInt(5)) {
      case 0 ->
          "On "
              + day(days)
              + ", "
              + a.name()
              + " went to "
              + pick(Lexicon.PLACES, rng)
              + " in "
              + town
              + ".";
      case 1 ->
          "One day "
              + pick(Lexicon.TIMES, rng)
              + ", "
              + a.name()
              + " and "
              + b.name()
              + " walked to "
              + pick(Lexicon.PLACES, rng)
              + " in "
              + town
              + ".";
      case 2 ->
          a.name()
              + " lived in "
              + town
              + " with a "
              + pick(Lexicon.ANIMALS, rng).one()
              + " and a friend called "
              + b.name()
              + ".";
      case 3 -> "It was " + day(days) + " in " + town + ", and " + a.name() + " had a plan.";
      default -> "Once upon a time, " + a.name() + " and " + b.name() + " visited " + town + ".";
    };
  }

  /** A date, remembered for the story card. */
  private String day(List<String> days) {
    String date = Lexicon.date(rng);
    days.add(date);
    return date;
  }

  private String event(Person a, Person b, boolean named) {
    String who = named ? a.name() : capitalise(a.subject());
    Noun thing = pick(Lexicon.OBJECTS, rng);
    String adjective = rng.nextBoolean() ? pick(Lexicon.ADJECTIVES, rng) : null;
    int count = 1 + rng.nextInt(9);
    return switch (rng.nextInt(12)) {
      case 0 ->
          who
              + " bought "
              + some(thing, count, adjective)
              + " for "
              + Lexicon.NUMBERS.get(2 + rng.nextInt(10))
              + " coins.";
      case 1 ->
          who
              + " found "
              + some(thing, count, adjective)
              + " near "
              + pick(Lexicon.PLACES, rng)
              + ".";
      case 2 -> {
        int more = 1 + rng.nextInt(9);
        yield who
            + " had "
            + some(thing, count, null)
            + ". "
            + b.name()
            + " gave "
            + a.object()
            + " "
            + Lexicon.NUMBERS.get(more)
            + " more, so now "
            + a.subject()
            + " had "
            + some(thing, count + more, null)
            + ".";
      }
      case 3 ->
          who
              + " saw "
              + some(pick(Lexicon.ANIMALS, rng), count, adjective)
              + " by "
              + pick(Lexicon.PLACES, rng)
              + ".";
      case 4 ->
          "At "
              + Lexicon.NUMBERS.get(1 + rng.nextInt(12))
              + " o'clock, "
              + a.name()
              + " met "
              + b.name()
              + " at "
              + pick(Lexicon.PLACES, rng)
              + ".";
      case 5 -> weather(named ? a.name() : a.subject());
      case 6 ->
          a.name()
              + " and "
              + b.name()
              + " ate "
              + pick(Lexicon.FOODS, rng)
              + " and talked about "
              + some(pick(Lexicon.ANIMALS, rng), 2 + rng.nextInt(5), null)
              + ".";
      case 7 ->
          who
              + " lost "
              + a.possessive()
              + " "
              + thing.one()
              + ", but "
              + b.name()
              + " found it under "
              + pick(List.of("the bed", "the table", "a chair", "a tree"), rng)
              + ".";
      case 8 -> {
        int eaten = 1 + rng.nextInt(count + 1);
        int had = count + eaten;
        yield who
            + " baked "
            + Lexicon.NUMBERS.get(had)
            + " cakes and ate "
            + Lexicon.NUMBERS.get(eaten)
            + ", so "
            + Lexicon.NUMBERS.get(count)
            + (count == 1 ? " cake was" : " cakes were")
            + " left.";
      }
      case 9 -> b.name() + " said, \"" + pick(SAYINGS, rng) + "\"";
      case 10 ->
          "\"Look at "
              + some(thing, count, adjective)
              + "!\" said "
              + a.name()
              + ".";
      default ->
          who
              + " gave "
              + b.name()
              + " "
              + some(thing, count, adjective)
              + " and "
              + b.name()
              + " said thank you.";
    };
  }

  private static final List<String> SAYINGS =
      List.of(
          "Let us go to the park.",
          "I am hungry.",
          "What a lovely day!",
          "Can you help me?",
          "I found it!",
          "Thank you, my friend.",
          "Where are we going?",
          "Come and see this.");

  /** A weather sentence; {@code who} stands mid-sentence (a name, or a lower-case pronoun). */
  private String weather(String who) {
    return switch (rng.nextInt(4)) {
      case 0 -> "It was sunny, so " + who + " flew a kite.";
      case 1 -> "It started to rain, so " + who + " took an umbrella.";
      case 2 -> "The wind was cold, and " + who + " drank hot tea.";
      default -> "The sun was warm, so " + who + " went for a swim.";
    };
  }

  private String closing(Person a, Person b) {
    return switch (rng.nextInt(4)) {
      case 0 ->
          "In the evening, "
              + a.name()
              + " went home and felt "
              + pick(Lexicon.FEELINGS, rng)
              + ".";
      case 1 -> "That night, " + a.name() + " and " + b.name() + " slept well.";
      case 2 -> "It was a good day for " + a.name() + ".";
      default -> "The end.";
    };
  }
}
