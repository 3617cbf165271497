package org.tuninglab.rag;

import java.util.Arrays;

/**
 * Counts words (runs of non-whitespace) as tokens: the counter to use when no model is loaded. A
 * word is about 1.3 tokens of a typical English BPE vocabulary.
 */
public final class WordCounter implements TokenCounter {

  @Override
  public TokenSpans spans(String text) {
    int[] starts = new int[16];
    int[] ends = new int[16];
    int n = 0;
    int i = 0;
    int len = text.length();
    while (i < len) {
      while (i < len && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i == len) {
        break;
      }
      int start = i;
      while (i < len && !Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (n == starts.length) {
        starts = Arrays.copyOf(starts, n * 2);
        ends = Arrays.copyOf(ends, n * 2);
      }
      starts[n] = start;
      ends[n] = i;
      n++;
    }
    return new ArraySpans(Arrays.copyOf(starts, n), Arrays.copyOf(ends, n));
  }

  private record ArraySpans(int[] starts, int[] ends) implements TokenSpans {
    @Override
    public int size() {
      return starts.length;
    }

    @Override
    public int start(int i) {
      return starts[i];
    }

    @Override
    public int end(int i) {
      return ends[i];
    }
  }
}
