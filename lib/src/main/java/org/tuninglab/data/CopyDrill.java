package org.tuninglab.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Training sequences that teach copying from the context: each row is a run of segments of random
 * tokens, every segment shown twice in a row, with segment lengths drawn anew each time.
 *
 * <p>Copying (an "induction head": find the earlier occurrence of the current token, predict the
 * token that followed it) is what few-shot prompts, retrieval-augmented answers and entity
 * extraction rely on, and a small model trained on a few million tokens of text does not learn it:
 * nothing in a text rewards copying densely enough. In these rows half the tokens can be predicted
 * only by copying and the other half not at all, so every gradient that lowers the loss builds the
 * copying circuit; varying the segment lengths keeps a fixed-offset shortcut from solving them.
 * Mixed into pretraining as a fraction of the sequences, they make the ability form within the
 * run (measured in docs/embedded-model.md); the model stays an ordinary decoder.
 */
public final class CopyDrill {
  /** The shortest segment; shorter ones leave too little to copy. */
  public static final int MIN_SEGMENT = 8;

  /** The longest segment, when the context allows it. */
  public static final int MAX_SEGMENT = 100;

  private CopyDrill() {}

  /**
   * Seeded drill rows.
   *
   * @param rows how many sequences
   * @param length tokens per sequence, at least {@code 2 * MIN_SEGMENT}
   * @param tokenCount token ids are drawn uniformly from {@code [0, tokenCount)} (the
   *     tokenizer's ordinary, non-special pieces)
   * @param seed the seed
   * @return the rows, every token trained
   */
  public static List<EncodedExample> rows(int rows, int length, int tokenCount, long seed) {
    if (rows < 0 || length < 2 * MIN_SEGMENT || tokenCount < 2) {
      throw new IllegalArgumentException(String.format(
          "copy drill of %d rows of %d tokens over %d ids: expected at least 0 rows, at least %d"
              + " tokens a row (a segment of %d shown twice) and at least 2 ids",
          rows, length, tokenCount, 2 * MIN_SEGMENT, MIN_SEGMENT));
    }
    int longest = Math.min(MAX_SEGMENT, length / 2);
    SplittableRandom rng = new SplittableRandom(seed);
    List<EncodedExample> out = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      int[] ids = new int[length];
      int at = 0;
      while (at < length) {
        int[] segment = new int[rng.nextInt(MIN_SEGMENT, longest + 1)];
        for (int i = 0; i < segment.length; i++) {
          segment[i] = rng.nextInt(tokenCount);
        }
        for (int pass = 0; pass < 2 && at < length; pass++) {
          int n = Math.min(segment.length, length - at);
          System.arraycopy(segment, 0, ids, at, n);
          at += n;
        }
      }
      boolean[] trained = new boolean[length];
      Arrays.fill(trained, true);
      out.add(new EncodedExample(ids, trained, 0, "copy-drill#" + r));
    }
    return out;
  }
}
