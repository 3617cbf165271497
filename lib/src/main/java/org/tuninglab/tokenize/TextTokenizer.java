package org.tuninglab.tokenize;

/** Text to token ids and back. */
public interface TextTokenizer {
  int[] encode(String text, boolean addSpecialTokens);

  String decode(int[] ids, boolean skipSpecialTokens);

  int vocabSize();

  SpecialTokens specialTokens();

  String tokenText(int id);
}
