package org.tuninglab.tokenize;

import java.time.ZonedDateTime;

/** The global functions {@code transformers} gives chat templates, bound into Jinjava by name. */
final class ChatTemplateGlobals {

  private ChatTemplateGlobals() {}

  /** Thrown by {@code raise_exception}; Jinjava records it as a render error. */
  static final class Raised extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Raised(String message) {
      super(message);
    }
  }

  /**
   * {@code raise_exception(message)}: a template's way to reject its input.
   *
   * @param message the template's message
   * @return never returns
   */
  public static Object raiseException(Object message) {
    throw new Raised(String.valueOf(message));
  }

  /**
   * {@code strftime_now(format)}: the local time, formatted like Python's strftime.
   *
   * @param format the strftime pattern
   * @return the formatted time
   */
  public static String strftimeNow(String format) {
    return PythonStrftime.format(format, ZonedDateTime.now());
  }
}
