package org.tuninglab.lesson;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;

/**
 * The check at the end of an exercise: prints {@code PASS: what} or {@code FAIL: what} with a
 * hint, never throws, so an untouched exercise runs through and says what is left to do. The
 * workshop runner reads these lines: it expects FAIL from the exercise notebooks as shipped and
 * PASS from their solutions ({@code notebooks/solutions/}). The methods return nothing, so a
 * check cell shows only its lines.
 *
 * <pre>{@code
 * SelfCheck.expect("best learning rate", bestLr == best.params().get("lr"), "read it from sweep.progress().best()");
 * SelfCheck.near("softmax of [1, 2, 3]", probs[2], 0.665241, 1e-4, "exp(x) / sum(exp(x))");
 * }</pre>
 */
public final class SelfCheck {

  /** The word a passing check starts with. */
  public static final String PASS = "PASS";
  /** The word a failing check starts with. */
  public static final String FAIL = "FAIL";

  private SelfCheck() {}

  /** Prints PASS when {@code passed}, else FAIL and the hint. */
  public static void expect(String what, boolean passed, String hint) {
    report(System.out, what, passed, hint);
  }

  /** PASS when {@code actual} equals {@code expected} ({@link Objects#equals}); the FAIL line shows both. */
  public static void equal(String what, Object actual, Object expected, String hint) {
    boolean passed = Objects.equals(actual, expected);
    report(System.out, what, passed, passed ? hint : "got " + shown(actual) + ", expected " + shown(expected) + ". " + hint);
  }

  /** PASS when {@code actual} is within {@code tolerance} of {@code expected} (a NaN never is). */
  public static void near(String what, double actual, double expected, double tolerance, String hint) {
    boolean passed = Math.abs(actual - expected) <= tolerance;
    report(System.out, what, passed, passed ? hint : "got " + shown(actual) + ", expected " + shown(expected)
        + " ± " + shown(tolerance) + ". " + hint);
  }

  static void report(PrintStream out, String what, boolean passed, String hint) {
    out.println(passed ? PASS + ": " + what : FAIL + ": " + what + ". Hint: " + hint);
  }

  // Numbers as a reader wants them (4 significant digits), so a hint never prints 0.18181818181818182;
  // text in quotes, so an empty answer shows as "".
  private static String shown(Object value) {
    if (value instanceof CharSequence text) {
      return "\"" + text + "\"";
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      return Double.isNaN(d) ? "nothing (NaN)" : String.format(Locale.ROOT, "%.4g", d);
    }
    return String.valueOf(value);
  }
}
