package org.tuninglab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Scores entity-extraction answers against references: exact match of the text, whether the answer
 * is a JSON object at all, and micro-averaged F1 over (field, entity) pairs, so a half-right answer
 * earns half credit where exact match gives none.
 *
 * @param examples answers scored
 * @param exactMatch the fraction identical to the reference (surrounding whitespace ignored)
 * @param validJson the fraction that parse as a JSON object
 * @param entityF1 micro-averaged F1 over (field, entity) pairs; an invalid answer predicts none
 */
public record ExtractionScore(int examples, double exactMatch, double validJson, double entityF1) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Scores answers.
   *
   * @param answers the model's answers
   * @param references the reference completions, one per answer, each a JSON object of lists
   * @return the scores
   */
  public static ExtractionScore of(List<String> answers, List<String> references) {
    if (answers.size() != references.size()) {
      throw new IllegalArgumentException(
          answers.size() + " answers for " + references.size() + " references");
    }
    int exact = 0;
    int valid = 0;
    long truePositives = 0;
    long predicted = 0;
    long expected = 0;
    for (int i = 0; i < answers.size(); i++) {
      String answer = answers.get(i).strip();
      exact += answer.equals(references.get(i).strip()) ? 1 : 0;
      Set<String> reference = pairs(parse(references.get(i)));
      JsonNode parsed = parse(answer);
      valid += parsed != null ? 1 : 0;
      Set<String> got = pairs(parsed);
      expected += reference.size();
      predicted += got.size();
      got.retainAll(reference);
      truePositives += got.size();
    }
    int n = Math.max(1, answers.size());
    double precision = predicted == 0 ? 0 : (double) truePositives / predicted;
    double recall = expected == 0 ? 0 : (double) truePositives / expected;
    double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    return new ExtractionScore(answers.size(), (double) exact / n, (double) valid / n, f1);
  }

  private static JsonNode parse(String text) {
    try {
      JsonNode node = JSON.readTree(text);
      return node != null && node.isObject() ? node : null;
    } catch (java.io.IOException e) {
      return null;
    }
  }

  /** {@code "people=Anna"} for each string in each list field. */
  private static Set<String> pairs(JsonNode object) {
    Set<String> pairs = new HashSet<>();
    if (object == null) {
      return pairs;
    }
    object
        .properties()
        .forEach(
            field -> {
              if (field.getValue().isArray()) {
                field.getValue().forEach(v -> pairs.add(field.getKey() + "=" + v.asText()));
              }
            });
    return pairs;
  }
}
