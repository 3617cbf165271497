package org.tuninglab.eval;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a reply says the reference answer: 1 when it does, 0 otherwise; the rate over replies is
 * the mean.
 *
 * <p>{@link #normalized()} compares the whole reply with the reference after {@link #normalize}:
 * lower-cased, punctuation turned into spaces (except a decimal point or a thousands comma between
 * digits, and a minus sign before a number), runs of whitespace collapsed to one space, ends
 * trimmed. So {@code "Paris."} matches {@code "paris"}, {@code "1,000"} matches {@code "1000"}.
 *
 * <p>{@link #numericAnswer()} compares the number each text ends up with ({@link #extractNumber}):
 * the last {@code \boxed{...}}, else the first number after the last "answer is" / "answer:", else
 * the last number in the text; numbers compare by value ({@code 42.0} equals {@code 42}). A reply
 * with no number scores 0; a reference without one is an error, found before the run.
 */
public final class ExactMatch implements ReplyMetric {

  private static final Pattern NUMBER =
      Pattern.compile("-?(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?|-?\\.\\d+");
  private static final Pattern ANSWER_IS =
      Pattern.compile("answer\\s*(?:is|:)", Pattern.CASE_INSENSITIVE);
  private static final String BOXED = "\\boxed{";

  private final boolean numeric;

  private ExactMatch(boolean numeric) {
    this.numeric = numeric;
  }

  /**
   * Exact match of the normalised texts, named {@code exact_match}.
   *
   * @return the metric
   */
  public static ExactMatch normalized() {
    return new ExactMatch(false);
  }

  /**
   * Exact match of the extracted numeric answers, named {@code numeric_match}.
   *
   * @return the metric
   */
  public static ExactMatch numericAnswer() {
    return new ExactMatch(true);
  }

  @Override
  public String name() {
    return numeric ? "numeric_match" : "exact_match";
  }

  @Override
  public void check(List<LabelledExample> examples) {
    if (!numeric) {
      return;
    }
    for (LabelledExample e : examples) {
      if (extractNumber(e.reference()).isEmpty()) {
        throw new IllegalArgumentException(
            "example '"
                + e.id()
                + "': field 'reference' (\""
                + e.reference()
                + "\") holds no number; metric numeric_match needs a numeric reference");
      }
    }
  }

  @Override
  public double score(LabelledExample example, String reply) {
    if (!numeric) {
      return normalize(reply).equals(normalize(example.reference())) ? 1 : 0;
    }
    BigDecimal want =
        extractNumber(example.reference())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "example '" + example.id() + "': field 'reference' holds no number"));
    return extractNumber(reply).map(got -> got.compareTo(want) == 0 ? 1.0 : 0.0).orElse(0.0);
  }

  /**
   * The normal form text answers are compared in.
   *
   * @param text any text
   * @return lower-cased, punctuation-free (but for numbers' own), single-spaced, trimmed
   */
  public static String normalize(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(lower.length());
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      if (!isPunctuation(c)) {
        out.append(c);
        continue;
      }
      boolean digitBefore = i > 0 && Character.isDigit(lower.charAt(i - 1));
      boolean digitAfter = i + 1 < lower.length() && Character.isDigit(lower.charAt(i + 1));
      boolean wordBefore = i > 0 && Character.isLetterOrDigit(lower.charAt(i - 1));
      if (c == '.' && digitBefore && digitAfter) {
        out.append('.');
      } else if (c == ',' && digitBefore && digitAfter) {
        continue; // a thousands separator: "1,000" is "1000"
      } else if (c == '-' && digitAfter && !wordBefore) {
        out.append('-');
      } else {
        out.append(' ');
      }
    }
    return out.toString().strip().replaceAll("\\s+", " ");
  }

  /**
   * The numeric answer a text gives.
   *
   * @param text a reply or a reference (a worked solution with {@code \boxed{}} works)
   * @return the number, or empty when the text has none
   */
  public static Optional<BigDecimal> extractNumber(String text) {
    int boxed = text.lastIndexOf(BOXED);
    if (boxed >= 0) {
      int start = boxed + BOXED.length();
      int depth = 1;
      int end = start;
      while (end < text.length() && depth > 0) {
        char c = text.charAt(end);
        depth += c == '{' ? 1 : c == '}' ? -1 : 0;
        end++;
      }
      Optional<BigDecimal> inside = first(text.substring(start, depth == 0 ? end - 1 : end));
      if (inside.isPresent()) {
        return inside;
      }
    }
    Matcher answer = ANSWER_IS.matcher(text);
    int after = -1;
    while (answer.find()) {
      after = answer.end();
    }
    if (after >= 0) {
      Optional<BigDecimal> stated = first(text.substring(after));
      if (stated.isPresent()) {
        return stated;
      }
    }
    Matcher m = NUMBER.matcher(text);
    String last = null;
    while (m.find()) {
      last = m.group();
    }
    return Optional.ofNullable(last).map(ExactMatch::parse);
  }

  private static Optional<BigDecimal> first(String text) {
    Matcher m = NUMBER.matcher(text);
    return m.find() ? Optional.of(parse(m.group())) : Optional.empty();
  }

  private static BigDecimal parse(String number) {
    return new BigDecimal(number.replace(",", ""));
  }

  private static boolean isPunctuation(char c) {
    return switch (Character.getType(c)) {
      case Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION,
          Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION,
          Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION ->
          true;
      default -> false;
    };
  }

  @Override
  public String toString() {
    return name();
  }
}
