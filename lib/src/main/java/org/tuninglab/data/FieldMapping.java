package org.tuninglab.data;

import java.util.Objects;

/**
 * Which fields (JSON keys or CSV columns) hold an example's parts.
 *
 * @param prompt the prompt field, for prompt/completion data (for example {@code "problem"})
 * @param completion the completion field (for example {@code "solution"})
 * @param messages the field holding a list of {@code {role, content}} turns; when a record has it,
 *     the record is read as a conversation
 */
public record FieldMapping(String prompt, String completion, String messages) {

  /** The usual names: {@code prompt}, {@code completion}, {@code messages}. */
  public static final FieldMapping DEFAULT = new FieldMapping("prompt", "completion", "messages");

  /** Rejects nulls. */
  public FieldMapping {
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(completion, "completion");
    Objects.requireNonNull(messages, "messages");
  }

  /**
   * Maps prompt and completion to other field names.
   *
   * @param prompt the prompt field
   * @param completion the completion field
   * @return the mapping, with the default messages field
   */
  public static FieldMapping promptCompletion(String prompt, String completion) {
    return new FieldMapping(prompt, completion, DEFAULT.messages());
  }
}
