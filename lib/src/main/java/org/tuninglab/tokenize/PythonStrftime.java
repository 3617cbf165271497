package org.tuninglab.tokenize;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Python's {@code datetime.strftime} for the directives chat templates use (Llama 3.1 writes {@code
 * strftime_now("%d %b %Y")} into its system prompt), in the C locale.
 */
final class PythonStrftime {

  private PythonStrftime() {}

  /**
   * Formats {@code time} with a strftime pattern.
   *
   * @throws IllegalArgumentException for a directive outside the supported set
   */
  static String format(String pattern, ZonedDateTime time) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c != '%') {
        out.append(c);
        continue;
      }
      if (i + 1 >= pattern.length()) {
        throw new IllegalArgumentException("strftime pattern ends with a lone %: " + pattern);
      }
      char d = pattern.charAt(++i);
      boolean unpadded = d == '-' && i + 1 < pattern.length();
      if (unpadded) {
        d = pattern.charAt(++i);
      }
      out.append(directive(d, unpadded, time, pattern));
    }
    return out.toString();
  }

  private static String directive(char d, boolean unpadded, ZonedDateTime t, String pattern) {
    String two = unpadded ? "%d" : "%02d";
    return switch (d) {
      case 'a' -> text("EEE", t);
      case 'A' -> text("EEEE", t);
      case 'b', 'h' -> text("MMM", t);
      case 'B' -> text("MMMM", t);
      case 'd' -> String.format(two, t.getDayOfMonth());
      case 'm' -> String.format(two, t.getMonthValue());
      case 'y' -> String.format(two, t.getYear() % 100);
      case 'Y' -> Integer.toString(t.getYear());
      case 'H' -> String.format(two, t.getHour());
      case 'I' -> String.format(two, (t.getHour() + 11) % 12 + 1);
      case 'M' -> String.format(two, t.getMinute());
      case 'S' -> String.format(two, t.getSecond());
      case 'p' -> t.getHour() < 12 ? "AM" : "PM";
      case 'j' -> String.format(unpadded ? "%d" : "%03d", t.getDayOfYear());
      case '%' -> "%";
      default ->
          throw new IllegalArgumentException(
              "strftime directive %" + d + " is not supported (in \"" + pattern + "\")");
    };
  }

  private static String text(String javaPattern, ZonedDateTime t) {
    return DateTimeFormatter.ofPattern(javaPattern, Locale.ENGLISH).format(t);
  }
}
