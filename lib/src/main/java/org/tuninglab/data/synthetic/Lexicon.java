package org.tuninglab.data.synthetic;

import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The closed vocabulary the generators draw from (these and {@code org.tuninglab.corpus}'s): people, towns, dates, places, objects,
 * quantities. Sharing it means the fine-tuning task uses words the pretrained model has seen.
 */
public final class Lexicon {
  /** A first name and the pronouns that refer back to it. */
  public record Person(String name, String subject, String object, String possessive) {}

  public static final List<Person> PEOPLE =
      List.of(
          she("Anna"),
          he("Ben"),
          she("Clara"),
          he("David"),
          she("Emma"),
          he("Finn"),
          she("Grace"),
          he("Henry"),
          she("Ida"),
          he("Jack"),
          she("Kate"),
          he("Leo"),
          she("Maya"),
          he("Noah"),
          she("Olivia"),
          he("Paul"),
          she("Rosa"),
          he("Sam"),
          she("Tara"),
          he("Victor"),
          she("Wendy"),
          he("Yusuf"),
          she("Zoe"),
          he("Omar"),
          she("Lily"),
          he("Max"),
          she("Nina"),
          he("Oscar"),
          she("Priya"),
          he("Hugo"));

  public static final List<String> TOWNS =
      List.of(
          "Ashford",
          "Brookfield",
          "Millbrook",
          "Stonehaven",
          "Riverton",
          "Lakeside",
          "Oakvale",
          "Westport",
          "Greenfield",
          "Fairhill",
          "Redcliff",
          "Elmwood",
          "Northgate",
          "Pinecrest");

  public static final List<String> DAYS =
      List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday");

  public static final List<String> MONTHS =
      List.of(
          "January",
          "February",
          "March",
          "April",
          "May",
          "June",
          "July",
          "August",
          "September",
          "October",
          "November",
          "December");

  public static final List<String> PLACES =
      List.of(
          "the market",
          "the park",
          "the library",
          "the beach",
          "the school",
          "the station",
          "the bakery",
          "the garden",
          "the farm",
          "the harbour",
          "the museum",
          "the forest",
          "the river",
          "the hill",
          "the square",
          "the zoo",
          "the bridge",
          "the pond");

  /** Singular and plural forms. */
  public record Noun(String one, String many) {}

  public static final List<Noun> OBJECTS =
      List.of(
          noun("apple"),
          noun("book"),
          noun("kite"),
          noun("ball"),
          noun("cup"),
          noun("hat"),
          noun("letter"),
          noun("map"),
          noun("key"),
          new Noun("box", "boxes"),
          noun("lamp"),
          noun("shoe"),
          noun("flower"),
          noun("cake"),
          noun("bottle"),
          noun("coin"),
          noun("pencil"),
          noun("bag"),
          noun("egg"),
          noun("shell"),
          noun("stone"),
          noun("bell"),
          new Noun("brush", "brushes"),
          noun("card"));

  public static final List<Noun> ANIMALS =
      List.of(
          noun("dog"),
          noun("cat"),
          noun("bird"),
          noun("duck"),
          noun("horse"),
          noun("goat"),
          noun("rabbit"),
          noun("frog"),
          new Noun("fox", "foxes"),
          noun("cow"));

  public static final List<String> ADJECTIVES =
      List.of(
          "red", "blue", "green", "yellow", "small", "big", "old", "new", "shiny", "wooden", "soft",
          "heavy", "little", "round");

  public static final List<String> FEELINGS =
      List.of("happy", "tired", "hungry", "surprised", "proud", "sleepy", "glad", "calm");

  public static final List<String> FOODS =
      List.of("soup", "bread", "rice", "cheese", "apple pie", "pancakes", "fish", "salad");

  public static final List<String> TIMES =
      List.of("in the morning", "at noon", "in the afternoon", "in the evening");

  public static final List<String> NUMBERS =
      List.of(
          "zero",
          "one",
          "two",
          "three",
          "four",
          "five",
          "six",
          "seven",
          "eight",
          "nine",
          "ten",
          "eleven",
          "twelve",
          "thirteen",
          "fourteen",
          "fifteen",
          "sixteen",
          "seventeen",
          "eighteen",
          "nineteen",
          "twenty");

  private Lexicon() {}

  public static <T> T pick(List<T> items, SplittableRandom rng) {
    return items.get(rng.nextInt(items.size()));
  }

  /** A person other than {@code not}. */
  public static Person other(Person not, SplittableRandom rng) {
    Person p;
    do {
      p = pick(PEOPLE, rng);
    } while (p.equals(not));
    return p;
  }

  /** A date written as a weekday or as month and day ({@code March 3}). */
  public static String date(SplittableRandom rng) {
    return rng.nextBoolean() ? pick(DAYS, rng) : pick(MONTHS, rng) + " " + (1 + rng.nextInt(28));
  }

  /** {@code a red kite}, {@code an old map}, {@code three shells}. */
  public static String some(Noun noun, int count, String adjective) {
    String head = adjective == null ? "" : adjective + " ";
    if (count == 1) {
      String word = head + noun.one();
      return (startsWithVowel(word) ? "an " : "a ") + word;
    }
    return NUMBERS.get(count) + " " + head + noun.many();
  }

  /** {@code ["Anna", "Ben"]}, or {@code []}: names as a JSON array, in the corpora's one layout. */
  public static String jsonList(Collection<String> items) {
    return items.isEmpty() ? "[]" : "[\"" + String.join("\", \"", items) + "\"]";
  }

  public static String capitalise(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }

  private static boolean startsWithVowel(String word) {
    return "aeiou".indexOf(word.charAt(0)) >= 0;
  }

  private static Person she(String name) {
    return new Person(name, "she", "her", "her");
  }

  private static Person he(String name) {
    return new Person(name, "he", "him", "his");
  }

  private static Noun noun(String one) {
    return new Noun(one, one + "s");
  }
}
