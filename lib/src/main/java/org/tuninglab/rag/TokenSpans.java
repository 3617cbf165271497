package org.tuninglab.rag;

/**
 * Where a text's tokens lie: token {@code i} covers characters {@code [start(i), end(i))}. Spans
 * are in order and do not overlap; the text between them (spaces) belongs to no token.
 */
public interface TokenSpans {

  /** The number of tokens. */
  int size();

  /** The first character of token {@code i}. */
  int start(int i);

  /** One past the last character of token {@code i}. */
  int end(int i);
}
