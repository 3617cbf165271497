package org.tuninglab.rag;

import java.util.List;

/** Finds the chunks that best match a query: BM25, dense, or a fusion of others. */
public interface Retriever {

  /** A short name for tables and reports ({@code bm25}, {@code dense}, {@code hybrid}). */
  String name();

  /**
   * Returns up to {@code k} chunks, best first; ties keep corpus order.
   *
   * @param query the question
   * @param k how many to return, at least 1
   * @return the chunks and their scores
   */
  List<ScoredChunk> retrieve(String query, int k);
}
