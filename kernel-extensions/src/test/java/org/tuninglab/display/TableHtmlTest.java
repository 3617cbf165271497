package org.tuninglab.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class TableHtmlTest {

  @Test
  void smallTableShowsEveryRowWithEscapedText() {
    Table table = Table.create("runs", StringColumn.create("method", "lora", "<b>full</b>"), IntColumn.create("r", 8, 0));
    String html = TableHtml.render(table);
    assertTrue(html.startsWith("<table class=\"tuninglab-table\"><caption>runs</caption><thead><tr><th>method</th><th>r</th>"), html);
    assertTrue(html.contains("<td style=\"text-align:left\">&lt;b&gt;full&lt;/b&gt;</td><td>0</td>"), html);
    assertFalse(html.contains("rows shown"));
  }

  @Test
  void largeTableIsTruncatedWithTheRowCount() {
    int[] values = new int[1000];
    for (int i = 0; i < values.length; i++) {
      values[i] = i;
    }
    String html = TableHtml.render(Table.create("big", IntColumn.create("i", values)), 5);
    assertEquals(5, html.split("<tr><td>", -1).length - 1);
    assertTrue(html.endsWith("<p><em>5 of 1000 rows shown</em></p>"), html);
  }

  @Test
  void rejectsANonPositiveRowLimit() {
    assertThrows(IllegalArgumentException.class, () -> TableHtml.render(Table.create("t"), 0));
  }
}
