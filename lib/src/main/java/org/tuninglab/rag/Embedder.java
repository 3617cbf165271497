package org.tuninglab.rag;

import java.util.List;

/** Turns texts into fixed-size vectors whose cosine similarity reflects meaning. */
public interface Embedder {

  /** The vector size. */
  int dimension();

  /**
   * Embeds texts, in batches as the implementation sees fit.
   *
   * @param texts the texts
   * @return one vector of {@link #dimension()} values a text, in the same order
   */
  float[][] embed(List<String> texts);
}
