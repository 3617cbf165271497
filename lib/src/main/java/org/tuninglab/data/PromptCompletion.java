package org.tuninglab.data;

import java.util.Map;
import java.util.Objects;

/**
 * A prompt and the completion the model should learn to give; only the completion is trained.
 *
 * @param prompt the user's text
 * @param completion the answer to learn (not blank)
 * @param fields the example's other fields as text
 * @param origin where it came from, for messages
 */
public record PromptCompletion(
    String prompt, String completion, Map<String, String> fields, String origin)
    implements Example {

  /** Rejects nulls and a blank completion, which would train nothing. */
  public PromptCompletion {
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(completion, "completion");
    if (completion.isBlank()) {
      throw new IllegalArgumentException(origin + ": the completion is empty");
    }
    fields = Map.copyOf(fields);
    Objects.requireNonNull(origin, "origin");
  }

  /**
   * Creates an example without other fields.
   *
   * @param prompt the prompt
   * @param completion the completion
   * @return the example, with origin {@code "inline"}
   */
  public static PromptCompletion of(String prompt, String completion) {
    return new PromptCompletion(prompt, completion, Map.of(), "inline");
  }
}
