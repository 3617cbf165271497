package org.tuninglab.rag;

/**
 * Splits text into tokens and says where each lies, so chunks can be cut at token boundaries and
 * keep their character offsets. {@link WordCounter} needs no model; {@link TokenizerCounter}
 * counts a model's tokens.
 */
public interface TokenCounter {

  /**
   * Tokenizes text.
   *
   * @param text the text
   * @return the tokens' character spans, in order
   */
  TokenSpans spans(String text);

  /**
   * Counts the tokens of a text.
   *
   * @param text the text
   * @return the number of tokens
   */
  default int count(String text) {
    return spans(text).size();
  }
}
