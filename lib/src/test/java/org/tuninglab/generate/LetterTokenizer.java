package org.tuninglab.generate;

import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.tuninglab.tokenize.SpecialTokens;
import org.tuninglab.tokenize.TextTokenizer;

/** A test tokenizer over ids 0..63, each one printable char, with no end-of-sequence id. */
final class LetterTokenizer implements TextTokenizer {
  static final String LETTERS =
      "#abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .";

  @Override
  public int[] encode(String text, boolean addSpecialTokens) {
    return text.chars().map(LETTERS::indexOf).toArray();
  }

  @Override
  public String decode(int[] ids, boolean skipSpecialTokens) {
    StringBuilder sb = new StringBuilder();
    for (int id : ids) {
      {
        sb.append(LETTERS.charAt(id));
      }
    }
    return sb.toString();
  }

  @Override
  public int vocabSize() {
    return LETTERS.length();
  }

  @Override
  public SpecialTokens specialTokens() {
    return new SpecialTokens(OptionalInt.empty(), Set.of(), OptionalInt.empty(), OptionalInt.empty(), Map.of());
  }

  @Override
  public String tokenText(int id) {
    return String.valueOf(LETTERS.charAt(id));
  }
}
