package org.tuninglab.rag;

import java.util.Arrays;
import java.util.Objects;
import org.tuninglab.tokenize.TextTokenizer;

/**
 * Counts a model's tokens. Token boundaries are found by decoding prefixes of the token ids, so
 * offsets are exact for tokenizers whose decoding gives the text back (byte-level BPE such as
 * GPT-2, Llama 3 and Qwen; SentencePiece for ordinary text); a tokenizer that does not (one that
 * lowercases or normalises) is reported rather than given wrong offsets.
 *
 * <p>Each boundary costs a decode of the prefix before it, computed only when asked: a chunker asks
 * for two boundaries a chunk, not one a token.
 */
public final class TokenizerCounter implements TokenCounter {
  private final TextTokenizer tokenizer;

  /**
   * Creates the counter.
   *
   * @param tokenizer the model's tokenizer; special tokens are not added
   */
  public TokenizerCounter(TextTokenizer tokenizer) {
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
  }

  @Override
  public int count(String text) {
    return tokenizer.encode(text, false).length;
  }

  @Override
  public TokenSpans spans(String text) {
    int[] ids = tokenizer.encode(text, false);
    String decoded = tokenizer.decode(ids, false);
    if (!decoded.equals(text)) {
      throw new IllegalArgumentException("the tokenizer does not give this text back when decoding"
          + " (it normalises it), so token offsets cannot be found; use a WordCounter."
          + " Text starts: "
          + text.substring(0, Math.min(40, text.length())));
    }
    return new PrefixSpans(text, ids);
  }

  /** Token {@code i} ends where the decoded prefix of {@code i + 1} tokens ends. */
  private final class PrefixSpans implements TokenSpans {
    private final String text;
    private final int[] ids;
    private final int[] prefixEnd; // -1 until computed

    PrefixSpans(String text, int[] ids) {
      this.text = text;
      this.ids = ids;
      this.prefixEnd = new int[ids.length + 1];
      Arrays.fill(prefixEnd, -1);
      prefixEnd[0] = 0;
      prefixEnd[ids.length] = text.length();
    }

    @Override
    public int size() {
      return ids.length;
    }

    @Override
    public int start(int i) {
      // A BPE token often carries its leading space ("Ġworld"); the span starts at its first
      // non-space character so a chunk does not begin with whitespace.
      int s = prefix(i);
      int e = prefix(i + 1);
      while (s < e && Character.isWhitespace(text.charAt(s))) {
        s++;
      }
      return s;
    }

    @Override
    public int end(int i) {
      return prefix(i + 1);
    }

    private int prefix(int count) {
      if (prefixEnd[count] < 0) {
        // A prefix that ends inside a multi-byte character decodes to a replacement character;
        // clamping keeps the offset inside the text.
        String p = tokenizer.decode(Arrays.copyOf(ids, count), false);
        int len = Math.min(p.length(), text.length());
        prefixEnd[count] = text.startsWith(p) ? len : commonPrefix(p, text);
      }
      return prefixEnd[count];
    }

    private int commonPrefix(String a, String b) {
      int n = Math.min(a.length(), b.length());
      int i = 0;
      while (i < n && a.charAt(i) == b.charAt(i)) {
        i++;
      }
      return i;
    }
  }
}
