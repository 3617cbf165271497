package org.tuninglab.eval;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Answer accuracy by key facts: 1 for a reply that states every key fact of the reference answer,
 * 0 otherwise; the rate is the mean. A grounded answer may be worded freely ("Scratch is purged
 * after 21 days [2]" for "21 days."), but it must carry the facts a reader would check.
 *
 * <p>The reference is cut at whitespace into words, each stripped of the punctuation around it
 * (a leading {@code $ ( " [}, a trailing {@code . , ; : ! ? ) ]}; a leading dash stays, for
 * options). A word is a key fact when it is
 *
 * <ul>
 *   <li>a number or holds a digit: {@code 21}, {@code 01:30}, {@code 1.2.5}, {@code dtn4},
 *       {@code OAC-2602209}, {@code --gres=gpu:h100:2};
 *   <li>an identifier: letters joined by {@code . @ / _ = :}, as in host names, e-mail addresses,
 *       module names and file names ({@code login.kestrel.example.edu}, {@code script.sh});
 *   <li>a capitalised name, not the first word of a sentence: {@code Roost}, {@code Duo},
 *       {@code Mobile}, {@code Thursday}, {@code TB}. A sentence's first word is left out because
 *       it is capitalised by grammar ("The", "Through", "Every").
 * </ul>
 *
 * <p>A reference with no key fact ("Yes, on request.") falls back to its words after
 * {@link ExactMatch#normalize}: every one must appear. Facts match the reply case-insensitively
 * as whole words: {@code 2} is not found in {@code 2200}, nor {@code dtn4} in {@code dtn40}.
 */
public final class AnswerFacts implements ReplyMetric {
  private static final Pattern EDGE_PUNCTUATION =
      Pattern.compile("^[\\p{Punct}&&[^-]]+|[.,;:!?)\\]\"'(\\[]+$");
  private static final Pattern IDENTIFIER = Pattern.compile("\\p{L}[\\p{L}\\p{N}-]*([.@/_=:][\\p{L}\\p{N}-]+)+");

  /** The metric, named {@code answer_facts}. */
  public static AnswerFacts create() {
    return new AnswerFacts();
  }

  private AnswerFacts() {}

  @Override
  public String name() {
    return "answer_facts";
  }

  @Override
  public double score(LabelledExample example, String reply) {
    return contains(reply, example.reference()) ? 1 : 0;
  }

  /**
   * The key facts of an answer, in order, each once.
   *
   * @param answer the reference answer
   * @return its numbers, identifiers and capitalised names; empty when it has none
   */
  public static List<String> facts(String answer) {
    Set<String> out = new LinkedHashSet<>();
    boolean sentenceStart = true;
    for (String raw : answer.strip().split("\\s+")) {
      String word = EDGE_PUNCTUATION.matcher(raw).replaceAll("");
      if (!word.isEmpty() && isFact(word, sentenceStart)) {
        out.add(word);
      }
      sentenceStart = raw.endsWith(".") || raw.endsWith("!") || raw.endsWith("?");
    }
    return List.copyOf(out);
  }

  /**
   * Whether a reply states every key fact of an answer (or, for an answer without one, all its
   * words).
   *
   * @param reply the model's reply
   * @param answer the reference answer
   * @return true when nothing the answer asserts is missing
   */
  public static boolean contains(String reply, String answer) {
    List<String> facts = facts(answer);
    if (facts.isEmpty()) {
      String normalized = ExactMatch.normalize(answer);
      facts = normalized.isEmpty() ? List.of() : List.of(normalized.split(" "));
      reply = ExactMatch.normalize(reply);
    }
    for (String fact : facts) {
      if (!wholeWord(fact).matcher(reply).find()) {
        return false;
      }
    }
    return !facts.isEmpty();
  }

  private static boolean isFact(String word, boolean sentenceStart) {
    if (word.chars().anyMatch(Character::isDigit) || IDENTIFIER.matcher(word).matches()) {
      return true;
    }
    return !sentenceStart && Character.isUpperCase(word.codePointAt(0));
  }

  private static Pattern wholeWord(String fact) {
    return Pattern.compile(
        "(?<![\\p{L}\\p{N}])" + Pattern.quote(fact) + "(?![\\p{L}\\p{N}])",
        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }

  @Override
  public String toString() {
    return name();
  }
}
