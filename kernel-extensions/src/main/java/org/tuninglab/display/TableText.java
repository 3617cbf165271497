package org.tuninglab.display;

import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** A Tablesaw table as aligned plain text, numbers formatted as in {@link TableHtml}. */
public final class TableText {

  private TableText() {}

  public static String render(Table table, int maxRows) {
    if (maxRows < 1) {
      throw new IllegalArgumentException("maxRows must be at least 1, got " + maxRows);
    }
    List<Column<?>> columns = table.columns();
    int shown = Math.min(table.rowCount(), maxRows);
    List<List<String>> cells = new ArrayList<>();
    int[] widths = new int[columns.size()];
    for (int c = 0; c < columns.size(); c++) {
      ColumnFormat format = ColumnFormat.of(columns.get(c));
      List<String> column = new ArrayList<>();
      column.add(format.header());
      for (int row = 0; row < shown; row++) {
        column.add(format.cell(columns.get(c), row));
      }
      cells.add(column);
      widths[c] = column.stream().mapToInt(String::length).max().orElse(0);
    }
    StringBuilder text = new StringBuilder();
    if (table.name() != null && !table.name().isBlank()) {
      text.append(table.name()).append('\n');
    }
    for (int line = 0; line <= shown; line++) {
      for (int c = 0; c < columns.size(); c++) {
        String cell = cells.get(c).get(line);
        String pad = " ".repeat(widths[c] - cell.length());
        // Numbers right-aligned so their digits line up; text left-aligned.
        text.append(c == 0 ? "" : "  ").append(columns.get(c) instanceof NumericColumn<?> ? pad + cell : cell + pad);
      }
      text.append('\n');
    }
    if (shown < table.rowCount()) {
      text.append(shown).append(" of ").append(table.rowCount()).append(" rows shown\n");
    }
    return text.toString();
  }
}
