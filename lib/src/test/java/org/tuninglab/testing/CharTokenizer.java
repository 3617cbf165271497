package org.tuninglab.testing;

import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.tuninglab.tokenize.SpecialTokens;
import org.tuninglab.tokenize.TextTokenizer;

/**
 * A test tokenizer: one token per character of a small alphabet, a leading id 1 for BOS, and no
 * end-of-sequence id, so generation runs to its length limit unless a test says otherwise.
 */
public final class CharTokenizer implements TextTokenizer {
  public static final String LETTERS = "#^abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ";

  @Override
  public int[] encode(String text, boolean addSpecialTokens) {
    int[] ids = text.chars().map(LETTERS::indexOf).toArray();
    if (!addSpecialTokens) {
      return ids;
    }
    int[] withBos = new int[ids.length + 1];
    withBos[0] = 1;
    System.arraycopy(ids, 0, withBos, 1, ids.length);
    return withBos;
  }

  @Override
  public String decode(int[] ids, boolean skipSpecialTokens) {
    StringBuilder sb = new StringBuilder();
    for (int id : ids) {
      sb.append(LETTERS.charAt(id));
    }
    return sb.toString();
  }

  @Override
  public int vocabSize() {
    return LETTERS.length();
  }

  @Override
  public SpecialTokens specialTokens() {
    return new SpecialTokens(
        OptionalInt.of(1), Set.of(), OptionalInt.empty(), OptionalInt.empty(), Map.of());
  }

  @Override
  public String tokenText(int id) {
    return String.valueOf(LETTERS.charAt(id));
  }
}
