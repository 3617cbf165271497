package org.tuninglab.kernel;

/**
 * A Javadoc comment as JShell hands it over (HTML with {@code {@code ...}} tags) turned into
 * plain text for the notebook's inspect tooltip.
 */
final class JavadocText {

  private JavadocText() {}

  /** The comment as text; {@code full} false keeps only its first paragraph (the tooltip's summary). */
  static String plain(String javadoc, boolean full) {
    String text = entities(tags(inlineTags(javadoc)));
    StringBuilder out = new StringBuilder();
    boolean blank = false;
    for (String raw : text.lines().toList()) {
      String line = raw.strip();
      if (line.isEmpty()) {
        if (!full && out.length() > 0) {
          break;
        }
        blank = out.length() > 0;
        continue;
      }
      if (line.startsWith("@") && !full) {
        break;
      }
      if (out.length() > 0) {
        out.append(blank || line.startsWith("@") ? "\n\n" : " ");
      }
      out.append(line);
      blank = false;
    }
    return out.toString();
  }

  /** {@code {@code x}} and {@code {@literal x}} become x, {@code {@link A#b label}} becomes label (or A.b). */
  private static String inlineTags(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      int start = text.indexOf("{@", i);
      if (start < 0) {
        out.append(text, i, text.length());
        break;
      }
      out.append(text, i, start);
      int depth = 0;
      int end = start;
      for (; end < text.length(); end++) {
        char c = text.charAt(end);
        if (c == '{') {
          depth++;
        } else if (c == '}' && --depth == 0) {
          break;
        }
      }
      String body = text.substring(start + 2, Math.min(end, text.length()));
      int space = body.indexOf(' ');
      String tag = space < 0 ? body : body.substring(0, space);
      String argument = space < 0 ? "" : body.substring(space + 1).strip();
      if (tag.startsWith("link")) {
        int label = argument.indexOf(' ');
        argument = label < 0 ? argument.replace('#', '.').replaceFirst("^\\.", "") : argument.substring(label + 1);
      }
      out.append(argument);
      i = end + 1;
    }
    return out.toString();
  }

  /** Paragraph and line-break tags become blank lines; every other tag goes. */
  private static String tags(String text) {
    return text.replaceAll("(?i)<\\s*(p|br|li|/ul|/ol|pre|/pre)\\b[^>]*>", "\n\n").replaceAll("<[^>]*>", "");
  }

  private static String entities(String text) {
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#92;", "\\")
        .replace("&nbsp;", " ").replace("&amp;", "&");
  }
}
