package org.tuninglab.display;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.columns.Column;

/**
 * How one table column is shown to people: numbers with {@value #SIGNIFICANT_DIGITS}
 * significant digits and thousands separators ({@code 0.1818}, {@code 32,973}, {@code 1,312,384}
 * instead of {@code 0.18181818181818182}, {@code 32972.953516}, {@code 1312384}), and the unit a
 * column name carries moved into the header, scaled for the column when that reads better
 * ({@code latency_ms} of 30,000 ms becomes {@code latency (s)}, {@code weight_bytes} becomes
 * {@code weight (MiB)}). Only the text changes: the table's data stay as they are.
 *
 * @param header the header text
 * @param divisor what each number is divided by before it is shown (1 unless the unit was scaled)
 */
record ColumnFormat(String header, double divisor) {

  static final int SIGNIFICANT_DIGITS = 4;

  /** A trailing unit: {@code time_ms}, {@code time ms}, {@code time (ms)}, {@code time [ms]}, or just {@code ms}. */
  private static final Pattern UNIT = Pattern.compile(
      "(?i)^(?:(.+?)(?:[\\s_-]+|\\s*[(\\[]\\s*))?(ms|millis|s|sec|secs|seconds|bytes|tok/s|tokens/s|steps/s|it/s|%)\\s*[)\\]]?$");

  private static final MathContext ROUNDING = new MathContext(SIGNIFICANT_DIGITS, RoundingMode.HALF_EVEN);

  /** The format of {@code column}: its unit from its name, scaled by the largest value it holds. */
  static ColumnFormat of(Column<?> column) {
    String name = column.name();
    Matcher unit = UNIT.matcher(name);
    if (!(column instanceof NumericColumn<?> numbers) || !unit.matches()) {
      return new ColumnFormat(name, 1);
    }
    String base = unit.group(1) == null ? "" : unit.group(1).strip();
    String symbol = unit.group(2).toLowerCase(Locale.ROOT);
    double max = maxAbs(numbers);
    double divisor = 1;
    switch (symbol) {
      case "ms", "millis" -> {
        symbol = "ms";
        if (max >= 10_000) {
          symbol = "s";
          divisor = 1_000;
        }
      }
      case "s", "sec", "secs", "seconds" -> symbol = "s";
      case "bytes" -> {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
        int power = 0;
        while (power < units.length - 1 && max >= Math.pow(1024, power + 1)) {
          power++;
        }
        symbol = units[power];
        divisor = Math.pow(1024, power);
      }
      default -> { }
    }
    if (base.isEmpty()) {
      return new ColumnFormat(divisor == 1 ? name : symbol, divisor);
    }
    return new ColumnFormat(base + " (" + symbol + ")", divisor);
  }

  /** The text of row {@code row} of {@code column}, which this format was made for. */
  String cell(Column<?> column, int row) {
    if (column.isMissing(row)) {
      return "";
    }
    if (column instanceof NumericColumn<?> numbers) {
      return number(numbers.getDouble(row) / divisor);
    }
    return column.getString(row);
  }

  /**
   * {@code value} for people: whole numbers and numbers of 1,000 or more as integers with
   * thousands separators; others with {@value #SIGNIFICANT_DIGITS} significant digits, trailing
   * zeros dropped; very small ones in scientific notation ({@code 1.235e-5}).
   */
  static String number(double value) {
    if (!Double.isFinite(value)) {
      return Double.isNaN(value) ? "" : value > 0 ? "∞" : "-∞";
    }
    double abs = Math.abs(value);
    if (abs >= 1_000 || value == Math.rint(value)) {
      return grouped().format(Math.round(value));
    }
    BigDecimal rounded = new BigDecimal(value).round(ROUNDING).stripTrailingZeros();
    if (abs >= 1e-3) {
      return rounded.toPlainString();
    }
    int exponent = rounded.precision() - rounded.scale() - 1;
    return rounded.movePointLeft(exponent).toPlainString() + "e" + exponent;
  }

  private static DecimalFormat grouped() {
    return new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ROOT));
  }

  private static double maxAbs(NumericColumn<?> numbers) {
    double max = 0;
    for (int row = 0; row < numbers.size(); row++) {
      if (!numbers.isMissing(row)) {
        max = Math.max(max, Math.abs(numbers.getDouble(row)));
      }
    }
    return max;
  }
}
