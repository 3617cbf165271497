package org.tuninglab.data;

import java.util.List;
import org.tuninglab.tokenize.TextTokenizer;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Shows a preference pair's two sides token by token, side by side: the shared prompt (not
 * trained), then where the answers diverge and which tokens each side's log-probability sums.
 */
public final class PairInspector {
  private PairInspector() {}

  /**
   * Lists both sides' tokens by position.
   *
   * @param pair the encoded pair
   * @param tokenizer the tokenizer that encoded it
   * @return a table with columns position, chosen, chosen_trained, rejected, rejected_trained and
   *     same (whether both sides hold the same token there); a side shorter than the other shows
   *     blanks
   */
  public static Table table(EncodedPair pair, TextTokenizer tokenizer) {
    return rows(pair, tokenizer, 0);
  }

  /**
   * Lists both sides' tokens from a few positions before the answers part to the end: the rows
   * that show the preference, without the shared system prompt and question above them.
   *
   * @param pair the encoded pair
   * @param tokenizer the tokenizer that encoded it
   * @param context how many shared tokens to keep before the first differing one (at least 0)
   * @return the columns of {@link #table}, from position {@code sharedPrefix - context}
   */
  public static Table aroundDivergence(EncodedPair pair, TextTokenizer tokenizer, int context) {
    if (context < 0) {
      throw new IllegalArgumentException("context must be at least 0, got " + context);
    }
    return rows(pair, tokenizer, Math.max(0, sharedPrefix(pair) - context));
  }

  private static Table rows(EncodedPair pair, TextTokenizer tokenizer, int from) {
    List<TokenRow> chosen = TokenInspector.rows(pair.chosen(), tokenizer);
    List<TokenRow> rejected = TokenInspector.rows(pair.rejected(), tokenizer);
    int n = Math.max(chosen.size(), rejected.size());
    IntColumn position = IntColumn.create("position");
    StringColumn chosenText = StringColumn.create("chosen");
    BooleanColumn chosenTrained = BooleanColumn.create("chosen_trained");
    StringColumn rejectedText = StringColumn.create("rejected");
    BooleanColumn rejectedTrained = BooleanColumn.create("rejected_trained");
    BooleanColumn same = BooleanColumn.create("same");
    for (int t = from; t < n; t++) {
      TokenRow c = t < chosen.size() ? chosen.get(t) : null;
      TokenRow r = t < rejected.size() ? rejected.get(t) : null;
      position.append(t);
      chosenText.append(c == null ? "" : c.text());
      chosenTrained.append(c != null && c.trained());
      rejectedText.append(r == null ? "" : r.text());
      rejectedTrained.append(r != null && r.trained());
      same.append(c != null && r != null && c.id() == r.id());
    }
    return Table.create(
        "pair " + pair.origin(),
        position, chosenText, chosenTrained, rejectedText, rejectedTrained, same);
  }

  /**
   * Counts the tokens both sides share from the start (the prompt, and any common answer start).
   *
   * @param pair the encoded pair
   * @return the length of the common prefix
   */
  public static int sharedPrefix(EncodedPair pair) {
    int[] a = pair.chosen().ids();
    int[] b = pair.rejected().ids();
    int t = 0;
    while (t < a.length && t < b.length && a[t] == b[t]) {
      t++;
    }
    return t;
  }
}
