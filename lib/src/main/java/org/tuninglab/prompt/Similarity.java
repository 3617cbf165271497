package org.tuninglab.prompt;

/**
 * How alike two texts are, higher meaning more alike. Lexical by default ({@link
 * #wordCountCosine()}); a dense embedder fits behind the same interface (cosine of embeddings).
 */
@FunctionalInterface
public interface Similarity {

  /**
   * Scores a pair of texts.
   *
   * @param query the text examples are compared with
   * @param candidate an example's input
   * @return the score; only its order among candidates matters
   */
  double score(String query, String candidate);

  /**
   * Cosine similarity of lower-cased word counts: no model needed, deterministic, and good enough
   * to pick examples that share the query's vocabulary.
   *
   * @return the similarity
   */
  static Similarity wordCountCosine() {
    return WordCountCosine.INSTANCE;
  }
}
