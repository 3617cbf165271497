package org.tuninglab.parallel;

/**
 * A training batch as host arrays: input ids and their next-token labels, both {@code (B, T)}
 * row-major; labels equal to {@code TokenCrossEntropy.IGNORE} are not trained.
 */
public record TokenRows(long[] inputIds, long[] labels, int batch, int seq) {

  public TokenRows {
    if (batch < 1 || seq < 1 || inputIds.length != (long) batch * seq
        || labels.length != inputIds.length) {
      throw new IllegalArgumentException(
          "token rows: expected " + batch + " x " + seq + " ids and labels, got "
              + inputIds.length + " ids and " + labels.length + " labels");
    }
  }

  /** Rows {@code [from, to)}. */
  public TokenRows rows(int from, int to) {
    long[] ids = java.util.Arrays.copyOfRange(inputIds, from * seq, to * seq);
    long[] lab = java.util.Arrays.copyOfRange(labels, from * seq, to * seq);
    return new TokenRows(ids, lab, to - from, seq);
  }

  /** Positions whose label is trained. */
  public long trainedTokens() {
    long n = 0;
    for (long label : labels) {
      if (label != org.tuninglab.score.TokenCrossEntropy.IGNORE) {
        n++;
      }
    }
    return n;
  }
}
