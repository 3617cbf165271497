package org.tuninglab.data;

import java.util.Map;

/** One supervised example: what the model is shown and what it should learn to answer. */
public sealed interface Example permits PromptCompletion, Conversation {

  /**
   * The example's other fields (for example a subject or difficulty column), as text, for
   * splitting by a field's value.
   *
   * @return the fields by name
   */
  Map<String, String> fields();

  /**
   * Where the example came from, for messages, for example {@code "train.jsonl:12"}.
   *
   * @return the origin
   */
  String origin();
}
