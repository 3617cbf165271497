package org.tuninglab.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class ColumnFormatTest {

  @Test
  void numbersShowFourSignificantDigitsAndThousandsSeparators() {
    assertEquals("6.986", ColumnFormat.number(6.986488695886317));
    assertEquals("0.1818", ColumnFormat.number(0.18181818181818182));
    assertEquals("32,973", ColumnFormat.number(32972.953516));
    assertEquals("1,312,384", ColumnFormat.number(1312384));
    assertEquals("0.5", ColumnFormat.number(0.5));
    assertEquals("3", ColumnFormat.number(3.0));
    assertEquals("-12.35", ColumnFormat.number(-12.3456));
    assertEquals("1.25e-5", ColumnFormat.number(0.0000125));
    assertEquals("", ColumnFormat.number(Double.NaN));
  }

  @Test
  void theUnitInAColumnNameMovesToTheHeader() {
    assertEquals("latency (ms)", ColumnFormat.of(DoubleColumn.create("latency_ms", 12.5, 80)).header());
    assertEquals("time (ms)", ColumnFormat.of(DoubleColumn.create("time (ms)", 1.0)).header());
    assertEquals("train (s)", ColumnFormat.of(DoubleColumn.create("train s", 28.1)).header());
    assertEquals("seconds", ColumnFormat.of(DoubleColumn.create("seconds", 28.1)).header());
    assertEquals("rate (tok/s)", ColumnFormat.of(DoubleColumn.create("rate tok/s", 388)).header());
    // Words that merely end in "s" carry no unit, and text columns keep their names.
    assertEquals("losses", ColumnFormat.of(IntColumn.create("losses", 3)).header());
    assertEquals("steps", ColumnFormat.of(IntColumn.create("steps", 3)).header());
    assertEquals("name_ms", ColumnFormat.of(StringColumn.create("name_ms", "x")).header());
  }

  @Test
  void largeUnitsAreScaledForTheWholeColumn() {
    DoubleColumn latency = DoubleColumn.create("latency_ms", 32972.953516, 74000);
    ColumnFormat format = ColumnFormat.of(latency);
    assertEquals("latency (s)", format.header());
    assertEquals("32.97", format.cell(latency, 0));
    assertEquals("74", format.cell(latency, 1));
    LongColumn bytes = LongColumn.create("weights_bytes", 1312384, 512);
    ColumnFormat size = ColumnFormat.of(bytes);
    assertEquals("weights (MiB)", size.header());
    assertEquals("1.252", size.cell(bytes, 0));
    assertEquals("4.883e-4", size.cell(bytes, 1));
  }

  @Test
  void tablesShowFormattedNumbersWhileTheirDataStayTheSame() {
    DoubleColumn loss = DoubleColumn.create("task loss after", 1.9123456789, 0.18181818181818182);
    Table table = Table.create("runs", StringColumn.create("method", "lora", "full"), loss,
        DoubleColumn.create("latency_ms", 32972.953516, 15000.0), LongColumn.create("params", 1312384, 21664));
    String html = TableHtml.render(table);
    assertTrue(html.contains("<th>latency (s)</th>"), html);
    assertTrue(html.contains("<td style=\"text-align:left\">lora</td><td>1.912</td><td>32.97</td><td>1,312,384</td>"), html);
    assertTrue(html.contains("<td style=\"text-align:left\">full</td><td>0.1818</td><td>15</td><td>21,664</td>"), html);
    assertEquals(1.9123456789, loss.get(0));
    String text = TableText.render(table, 20);
    assertTrue(text.startsWith("runs\nmethod  task loss after  latency (s)     params\n"), text);
    assertTrue(text.contains("lora              1.912        32.97  1,312,384\n"), text);
  }
}
