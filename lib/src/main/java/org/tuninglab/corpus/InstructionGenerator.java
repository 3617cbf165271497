package org.tuninglab.corpus;

import static org.tuninglab.data.synthetic.Lexicon.pick;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.tuninglab.prompt.PromptTemplate;

/**
 * Single-turn instructions (the prompting lesson's ability), rendered by {@link PromptTemplate}:
 * half ask for categories of words with a format clause naming JSON keys ({@code Reply with JSON
 * with the keys "who" and "towns".}) and are answered with that JSON, keys copied from the clause;
 * half ask about the text in prose, without a format clause, and are answered with a sentence. So
 * the model learns that a format clause is what makes the answer JSON. The phrasings are pools,
 * and the benchmark's two prompts ({@link HeldOut#POOR_PROMPT}, {@link HeldOut#IMPROVED_PROMPT})
 * are none of them.
 */
final class InstructionGenerator {
  /** Tasks answered with JSON: {@code {what}} names the categories, {@code {format}} the keys. */
  static final List<String> JSON_TASKS =
      List.of(
          "Find the {what} in \"{text}\". {format}",
          "Which {what} does this text mention? \"{text}\" {format}",
          "Text: \"{text}\"\nName the {what}. {format}",
          "Read this: {text}\nPick out the {what}. {format}",
          "{format} Extract the {what} from \"{text}\"");

  /** Format clauses; {@code {keys}} is {@code "a" and "b"}. */
  static final List<String> FORMAT_CLAUSES =
      List.of(
          "Reply with JSON with the keys {keys}.",
          "Answer with JSON using the keys {keys}.",
          "Give the answer as JSON with the keys {keys}.",
          "Format: JSON with the keys {keys}.");

  /** Prose questions: no format clause, a sentence for an answer. */
  static final List<String> PROSE_TASKS =
      List.of(
          "Who is in \"{text}\"?",
          "Where does this happen? \"{text}\"",
          "What is \"{text}\" about?",
          "Describe this text in one sentence: {text}",
          "Tell me about \"{text}\"");

  private final SplittableRandom rng;

  InstructionGenerator(long seed) {
    this.rng = new SplittableRandom(seed);
  }

  /** The next instruction and answer, rendered as pretraining text. */
  String next() {
    TaggedText text = TaggedSentences.next(rng);
    if (rng.nextBoolean()) {
      List<Category> categories = FewShotExtractionGenerator.categories(text, rng);
      List<String> keys = FewShotExtractionGenerator.keys(categories, rng);
      String format =
          PromptTemplate.of(pick(FORMAT_CLAUSES, rng)).render(Map.of("keys", quotedList(keys)));
      List<String> what = categories.stream().map(Category::description).toList();
      PromptTemplate task = PromptTemplate.of(pick(JSON_TASKS, rng));
      return ChatText.of(
          task.messages(Map.of("what", andList(what), "text", text.text(), "format", format)),
          text.json(categories, keys));
    }
    int kind = rng.nextInt(PROSE_TASKS.size());
    PromptTemplate task = PromptTemplate.of(PROSE_TASKS.get(kind));
    return ChatText.of(task.messages(Map.of("text", text.text())), prose(kind, text));
  }

  /** A sentence about the text, for the prose task {@code kind}. */
  private static String prose(int kind, TaggedText text) {
    List<String> names = text.words(Category.NAMES);
    List<String> towns = text.words(Category.TOWNS);
    return switch (kind) {
      case 0 -> names.isEmpty() ? "Nobody is named." : andList(names) + ".";
      case 1 ->
          towns.isEmpty()
              ? "The text does not say where."
              : "It happens in " + andList(towns) + ".";
      default -> {
        List<String> parts = new ArrayList<>();
        if (!names.isEmpty()) {
          parts.add(andList(names));
        }
        for (Category c : List.of(Category.ANIMALS, Category.THINGS)) {
          if (!text.words(c).isEmpty()) {
            parts.add("some " + c.description());
          }
        }
        String where = towns.isEmpty() ? "" : " in " + andList(towns);
        yield "It is a short story about " + andList(parts) + where + ".";
      }
    };
  }

  /** {@code "a" and "b"}, {@code "a", "b" and "c"}. */
  static String quotedList(List<String> words) {
    return andList(words.stream().map(w -> "\"" + w + "\"").toList());
  }

  /** {@code a}, {@code a and b}, {@code a, b and c}. */
  static String andList(List<String> words) {
    if (words.size() <= 1) {
      return words.isEmpty() ? "" : words.get(0);
    }
    return String.join(", ", words.subList(0, words.size() - 1))
        + " and "
        + words.get(words.size() - 1);
  }
}
