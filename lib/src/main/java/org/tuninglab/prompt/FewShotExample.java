package org.tuninglab.prompt;

import java.util.Objects;

/**
 * One worked example shown to the model before the real query.
 *
 * @param input what the user asks (before any input template is applied)
 * @param output the answer the model should imitate
 */
public record FewShotExample(String input, String output) {

  /** Rejects nulls, which would render as the text "null". */
  public FewShotExample {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
  }
}
