package org.tuninglab.bench;

import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.tuninglab.tokenize.SpecialTokens;
import org.tuninglab.tokenize.TextTokenizer;

/**
 * A benchmark tokenizer for random-weight models of any vocabulary size: id {@code i} is the
 * printable ASCII character {@code 32 + i % 95}, and a character encodes to its own id. No end
 * token, so generation always runs to its length limit and every mode does the same work.
 */
final class AsciiTokenizer implements TextTokenizer {
  private static final int PRINTABLE = 95;
  private final int vocabSize;

  AsciiTokenizer(int vocabSize) {
    this.vocabSize = vocabSize;
  }

  @Override
  public int[] encode(String text, boolean addSpecialTokens) {
    return text.chars().map(c -> c >= 32 && c < 127 ? c - 32 : '?' - 32).toArray();
  }

  @Override
  public String decode(int[] ids, boolean skipSpecialTokens) {
    StringBuilder sb = new StringBuilder(ids.length);
    for (int id : ids) {
      sb.append((char) (32 + id % PRINTABLE));
    }
    return sb.toString();
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public SpecialTokens specialTokens() {
    return new SpecialTokens(
        OptionalInt.empty(), Set.of(), OptionalInt.empty(), OptionalInt.empty(), Map.of());
  }

  @Override
  public String tokenText(int id) {
    return String.valueOf((char) (32 + id % PRINTABLE));
  }
}
