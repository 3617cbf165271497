package org.tuninglab.display;

import java.util.List;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * A Tablesaw table as an HTML table, numbers formatted for people ({@link ColumnFormat}).
 * Large tables show their first rows and a note with the full row count, so a million-row
 * table does not freeze the browser.
 */
public final class TableHtml {

  /**
   * A cell of a text column. Jupyter's stylesheet right-aligns every table cell, which suits
   * numbers but makes replies and names hard to read, so text is aligned left.
   */
  static final String TEXT_CELL = "<td style=\"text-align:left\">";

  /** How many rows a table shows before it is truncated. */
  public static final int DEFAULT_MAX_ROWS = 20;

  private TableHtml() {}

  public static String render(Table table) {
    return render(table, DEFAULT_MAX_ROWS);
  }

  public static String render(Table table, int maxRows) {
    if (maxRows < 1) {
      throw new IllegalArgumentException("maxRows must be at least 1, got " + maxRows);
    }
    int rows = table.rowCount();
    int shown = Math.min(rows, maxRows);
    StringBuilder html = new StringBuilder("<table class=\"tuninglab-table\">");
    if (table.name() != null && !table.name().isBlank()) {
      html.append("<caption>").append(escape(table.name())).append("</caption>");
    }
    List<Column<?>> columns = table.columns();
    List<ColumnFormat> formats = columns.stream().map(ColumnFormat::of).toList();
    html.append("<thead><tr>");
    for (ColumnFormat format : formats) {
      html.append("<th>").append(escape(format.header())).append("</th>");
    }
    html.append("</tr></thead><tbody>");
    for (int row = 0; row < shown; row++) {
      html.append("<tr>");
      for (int c = 0; c < columns.size(); c++) {
        html.append(columns.get(c) instanceof NumericColumn<?> ? "<td>" : TEXT_CELL)
            .append(escape(formats.get(c).cell(columns.get(c), row)))
            .append("</td>");
      }
      html.append("</tr>");
    }
    html.append("</tbody></table>");
    if (shown < rows) {
      html.append("<p><em>").append(shown).append(" of ").append(rows).append(" rows shown</em></p>");
    }
    return html.toString();
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
