package org.tuninglab.prompt;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Cosine between bag-of-words vectors: words are maximal runs of letters and digits (any script),
 * lower-cased; each vector holds a word's count. A text without words scores 0 against anything.
 */
final class WordCountCosine implements Similarity {

  static final WordCountCosine INSTANCE = new WordCountCosine();

  private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

  private WordCountCosine() {}

  @Override
  public double score(String query, String candidate) {
    Map<String, Integer> a = counts(query);
    Map<String, Integer> b = counts(candidate);
    if (a.isEmpty() || b.isEmpty()) {
      return 0;
    }
    double dot = 0;
    for (Map.Entry<String, Integer> e : a.entrySet()) {
      dot += (double) e.getValue() * b.getOrDefault(e.getKey(), 0);
    }
    return dot / (norm(a) * norm(b));
  }

  static Map<String, Integer> counts(String text) {
    Map<String, Integer> counts = new HashMap<>();
    for (String word : NON_WORD.split(text.toLowerCase(Locale.ROOT))) {
      if (!word.isEmpty()) {
        counts.merge(word, 1, Integer::sum);
      }
    }
    return counts;
  }

  private static double norm(Map<String, Integer> counts) {
    double sum = 0;
    for (int c : counts.values()) {
      sum += (double) c * c;
    }
    return Math.sqrt(sum);
  }

  @Override
  public String toString() {
    return "wordCountCosine";
  }
}
