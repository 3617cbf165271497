package org.tuninglab.data;

import java.util.ArrayList;
import java.util.List;
import org.tuninglab.tokenize.TextTokenizer;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Shows which tokens of an example are trained: the check that labels are masked correctly. */
public final class TokenInspector {
  private TokenInspector() {}

  /**
   * Lists an encoded example's tokens.
   *
   * @param example the encoded example
   * @param tokenizer the tokenizer that encoded it
   * @return one row per token
   */
  public static List<TokenRow> rows(EncodedExample example, TextTokenizer tokenizer) {
    long[] labels = example.labels();
    List<TokenRow> rows = new ArrayList<>();
    for (int t = 0; t < example.length(); t++) {
      int id = example.ids()[t];
      rows.add(new TokenRow(t, id, tokenizer.tokenText(id), example.trained()[t], labels[t]));
    }
    return rows;
  }

  /**
   * Returns the rows as a table with columns position, id, text, trained and label.
   *
   * @param rows the rows
   * @return the table
   */
  public static Table table(List<TokenRow> rows) {
    return Table.create(
        "tokens",
        IntColumn.create("position", rows.stream().mapToInt(TokenRow::position).toArray()),
        IntColumn.create("id", rows.stream().mapToInt(TokenRow::id).toArray()),
        StringColumn.create("text", rows.stream().map(TokenRow::text).toList()),
        BooleanColumn.create("trained", rows.stream().map(TokenRow::trained).toList()),
        LongColumn.create("label", rows.stream().mapToLong(TokenRow::label).toArray()));
  }
}
