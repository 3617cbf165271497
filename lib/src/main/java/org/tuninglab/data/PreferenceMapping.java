package org.tuninglab.data;

import java.util.Objects;

/**
 * Which fields (JSON keys or CSV columns) hold a preference example's parts. In JSON a field may
 * hold text or, as in TRL's conversational format, a list of {@code {role, content}} turns: the
 * prompt's turns, and one assistant turn for each answer.
 *
 * @param prompt the prompt field
 * @param chosen the preferred answer's field
 * @param rejected the dispreferred answer's field
 */
public record PreferenceMapping(String prompt, String chosen, String rejected) {

  /** TRL's names: {@code prompt}, {@code chosen}, {@code rejected}. */
  public static final PreferenceMapping DEFAULT =
      new PreferenceMapping("prompt", "chosen", "rejected");

  /** Rejects nulls and two parts read from one field. */
  public PreferenceMapping {
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(chosen, "chosen");
    Objects.requireNonNull(rejected, "rejected");
    if (prompt.equals(chosen) || prompt.equals(rejected) || chosen.equals(rejected)) {
      throw new IllegalArgumentException(
          "prompt, chosen and rejected must be three different fields, got "
              + prompt + ", " + chosen + ", " + rejected);
    }
  }
}
